using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace IntelliFace.Vault;

/// <summary>
/// Supplies the master key, the root of the key hierarchy (master key -> tenant data keys -> subject keys ->
/// templates). Each call returns a new <see cref="IMasterKey"/> that the caller owns and disposes.
/// <para>
/// Two providers ship: <see cref="KeyFileMasterKeyProvider"/> and <see cref="EnvironmentMasterKeyProvider"/>,
/// both holding the key bytes in this process. A cloud KMS or HSM implements this interface by returning an
/// <see cref="IMasterKey"/> whose <see cref="IMasterKey.Wrap"/> and <see cref="IMasterKey.TryUnwrap"/> call the
/// KMS's encrypt and decrypt operations (passing the associated data as the KMS's encryption context or AAD),
/// so the master key never leaves the KMS; its <see cref="IMasterKey.Id"/> names the KMS key version.
/// </para>
/// </summary>
public interface IMasterKeyProvider
{
    /// <exception cref="FaceException"><c>key_unavailable</c> when the key is missing or malformed.</exception>
    IMasterKey GetMasterKey();
}

/// <summary>
/// The key that wraps (encrypts) the vault's own keys: tenant data keys and the audit key. Implementations are
/// thread-safe. Wrapping is authenticated encryption bound to <c>associatedData</c>: a wrapped key presented with
/// other associated data, or to another master key, does not unwrap.
/// </summary>
public interface IMasterKey : IDisposable
{
    /// <summary>Names this master key version, e.g. <c>mk-3f2a9c01d4e5b6a7</c>; stored next to every key it wraps.
    /// Reveals nothing that helps recover the key.</summary>
    string Id { get; }

    /// <summary>Encrypts <paramref name="key"/> bound to <paramref name="associatedData"/>; the result records
    /// <paramref name="keyVersion"/> (the wrapped key's version) in clear.</summary>
    byte[] Wrap(ReadOnlySpan<byte> key, int keyVersion, ReadOnlySpan<byte> associatedData);

    /// <summary>Decrypts into <paramref name="key"/> (exactly the wrapped key's length); false, with <paramref name="key"/>
    /// zeroed, when the wrapped bytes were altered, belong to other associated data or to another master key.</summary>
    bool TryUnwrap(ReadOnlySpan<byte> wrapped, ReadOnlySpan<byte> associatedData, Span<byte> key);
}

/// <summary>
/// A 256-bit master key held in this process. <see cref="ToString"/> shows only <see cref="Id"/>;
/// <see cref="Dispose"/> wipes the bytes. There is no public way to read the bytes back.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class MasterKey : IMasterKey
{
    public const int ByteLength = KeyBytes.Length;

    private readonly KeyBytes _bytes;

    public MasterKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != ByteLength)
            throw new FaceException(FaceErrorCode.KeyUnavailable, $"A master key is {ByteLength} bytes, not {key.Length}.");
        _bytes = KeyBytes.Copy(key);
        Id = Fingerprint(key);
    }

    /// <summary>A one-way fingerprint of the key (HMAC-SHA256 of a fixed label, first 8 bytes), frozen by a known-answer test.</summary>
    public string Id { get; }

    internal ReadOnlySpan<byte> Bytes => _bytes.Span;

    /// <summary>A new random master key, for tests and for the key file provider's first run.</summary>
    public static MasterKey Generate()
    {
        Span<byte> key = stackalloc byte[ByteLength];
        try
        {
            RandomNumberGenerator.Fill(key);
            return new MasterKey(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public byte[] Wrap(ReadOnlySpan<byte> key, int keyVersion, ReadOnlySpan<byte> associatedData) =>
        SealedEnvelope.Seal(Bytes, keyVersion, key, associatedData);

    public bool TryUnwrap(ReadOnlySpan<byte> wrapped, ReadOnlySpan<byte> associatedData, Span<byte> key) =>
        SealedEnvelope.TryOpen(Bytes, wrapped, associatedData, key);

    public void Dispose() => _bytes.Dispose();

    public override string ToString() => $"MasterKey({Id}, redacted)";

    private static string Fingerprint(ReadOnlySpan<byte> key)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes("intelliface/master-key-id/v1"), mac);
        return "mk-" + Convert.ToHexStringLower(mac[..8]);
    }
}
