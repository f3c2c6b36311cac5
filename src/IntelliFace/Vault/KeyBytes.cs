using System.Security.Cryptography;

namespace IntelliFace.Vault;

/// <summary>
/// 32 bytes of key material on the pinned heap (so the garbage collector never leaves copies behind when it
/// compacts), wiped by <see cref="Dispose"/>. The one holder of raw key bytes for every key type of the vault.
/// </summary>
internal sealed class KeyBytes : IDisposable
{
    public const int Length = 32;

    private readonly byte[] _bytes = GC.AllocateArray<byte>(Length, pinned: true);
    private bool _disposed;

    private KeyBytes()
    {
    }

    public ReadOnlySpan<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _bytes;
        }
    }

    public static KeyBytes Random()
    {
        var key = new KeyBytes();
        RandomNumberGenerator.Fill(key._bytes);
        return key;
    }

    public static KeyBytes Copy(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length) throw new ArgumentException($"A key is {Length} bytes, not {bytes.Length}.", nameof(bytes));
        var key = new KeyBytes();
        bytes.CopyTo(key._bytes);
        return key;
    }

    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_bytes);
    }

    public override string ToString() => "KeyBytes(redacted)";
}
