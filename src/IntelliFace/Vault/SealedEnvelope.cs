using System.Buffers.Binary;
using System.Security.Cryptography;

namespace IntelliFace.Vault;

/// <summary>
/// The frozen on-disk layout of everything the vault encrypts (templates, wrapped subject keys, tenant keys
/// wrapped by a local master key, the wrapped audit key), AES-256-GCM with a random nonce:
/// <code>
/// offset  size  field
///      0     1  format version = 1
///      1     4  key version, uint32 big-endian: the version of the key that sealed it (the subject key for a
///               template, the tenant data key for a subject key), or of the wrapped key itself (tenant key)
///      5    12  nonce
///     17     n  ciphertext (n = plaintext length)
///   17+n    16  tag
/// </code>
/// Stored envelopes must stay readable forever: to change anything here, add a new format version
/// and keep reading version 1. A known-answer test pins these bytes.
/// </summary>
internal static class SealedEnvelope
{
    public const byte FormatVersion = 1;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int HeaderSize = 1 + sizeof(uint) + NonceSize;
    public const int Overhead = HeaderSize + TagSize;

    /// <summary>Encrypts with a fresh random nonce. Random 96-bit nonces are safe far beyond the
    /// number of records one tenant key will ever seal (the bound is about 2^32 per key).</summary>
    public static byte[] Seal(ReadOnlySpan<byte> key, int keyVersion, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        Span<byte> nonce = stackalloc byte[NonceSize];
        RandomNumberGenerator.Fill(nonce);
        return Seal(key, keyVersion, nonce, plaintext, associatedData);
    }

    /// <summary>Encrypts with the given nonce. Only known-answer tests choose a nonce.</summary>
    internal static byte[] Seal(ReadOnlySpan<byte> key, int keyVersion, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keyVersion, 1);
        var envelope = new byte[Overhead + plaintext.Length];
        envelope[0] = FormatVersion;
        BinaryPrimitives.WriteUInt32BigEndian(envelope.AsSpan(1), (uint)keyVersion);
        nonce.CopyTo(envelope.AsSpan(1 + sizeof(uint), NonceSize));
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, envelope.AsSpan(HeaderSize, plaintext.Length), envelope.AsSpan(HeaderSize + plaintext.Length), associatedData);
        return envelope;
    }

    /// <summary>Reads the key version from the header, or returns false when this is no version-1 envelope.</summary>
    public static bool TryReadKeyVersion(ReadOnlySpan<byte> envelope, out int keyVersion)
    {
        keyVersion = 0;
        if (envelope.Length < Overhead || envelope[0] != FormatVersion) return false;
        var version = BinaryPrimitives.ReadUInt32BigEndian(envelope[1..]);
        if (version is < 1 or > int.MaxValue) return false;
        keyVersion = (int)version;
        return true;
    }

    /// <summary>The plaintext length of a well-formed envelope.</summary>
    public static int PlaintextLength(ReadOnlySpan<byte> envelope) => envelope.Length - Overhead;

    /// <summary>
    /// Decrypts into <paramref name="plaintext"/> (exactly <see cref="PlaintextLength"/> bytes). Returns false,
    /// with <paramref name="plaintext"/> zeroed, when the envelope is malformed, the key is wrong or anything
    /// covered by the tag or the associated data differs from what was sealed.
    /// </summary>
    public static bool TryOpen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> envelope, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        if (!TryReadKeyVersion(envelope, out _) || plaintext.Length != PlaintextLength(envelope)) return false;
        var nonce = envelope.Slice(1 + sizeof(uint), NonceSize);
        var ciphertext = envelope.Slice(HeaderSize, plaintext.Length);
        var tag = envelope[(HeaderSize + plaintext.Length)..];
        using var aes = new AesGcm(key, TagSize);
        try
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }
    }
}
