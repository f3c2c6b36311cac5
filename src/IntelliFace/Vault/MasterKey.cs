using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace IntelliFace.Vault;

/// <summary>
/// Supplies the master key that wraps every tenant's data key. Each call returns a new
/// <see cref="MasterKey"/> that the caller owns and disposes.
/// </summary>
public interface IMasterKeyProvider
{
    /// <exception cref="FaceException"><c>key_unavailable</c> when the key is missing or malformed.</exception>
    MasterKey GetMasterKey();
}

/// <summary>
/// The 256-bit master key. <see cref="ToString"/> shows only <see cref="Id"/>; <see cref="Dispose"/>
/// wipes the bytes. There is no public way to read the bytes back.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class MasterKey : IDisposable
{
    public const int ByteLength = 32;

    // Pinned so the garbage collector never leaves copies of the key behind when it compacts the heap.
    private readonly byte[] _bytes = GC.AllocateArray<byte>(ByteLength, pinned: true);
    private bool _disposed;

    public MasterKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != ByteLength)
            throw new FaceException(FaceErrorCode.KeyUnavailable, $"A master key is {ByteLength} bytes, not {key.Length}.");
        key.CopyTo(_bytes);
        Id = Fingerprint(_bytes);
    }

    /// <summary>
    /// Names this key version, e.g. <c>mk-3f2a9c01d4e5b6a7</c>: a one-way fingerprint of the key, so the
    /// vault can record which master key wrapped each tenant key and tell a wrong key apart from a damaged
    /// record without storing anything that helps recover the key.
    /// </summary>
    public string Id { get; }

    internal ReadOnlySpan<byte> Bytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _bytes;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_bytes);
    }

    public override string ToString() => $"MasterKey({Id}, redacted)";

    private static string Fingerprint(ReadOnlySpan<byte> key)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes("intelliface/master-key-id/v1"), mac);
        return "mk-" + Convert.ToHexStringLower(mac[..8]);
    }
}
