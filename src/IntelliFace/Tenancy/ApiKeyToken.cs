using System.Buffers.Text;
using System.Diagnostics;
using System.Security.Cryptography;
using IntelliFace.Vault;

namespace IntelliFace.Tenancy;

/// <summary>
/// An API key: <c>ifk_</c>, a 12-hex-digit key id (not secret: it names the key in listings and the audit
/// log), <c>_</c>, and 256 random bits in unpadded base64url. The service stores only the SHA-256 of the
/// secret bits (a slow hash adds nothing against 256 random bits) and compares in constant time.
/// <see cref="ToString"/> shows only the key id; <see cref="Dispose"/> wipes the secret.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class ApiKeyToken : IDisposable
{
    public const string Prefix = "ifk_";
    private const int KeyIdBytes = 6;
    private const int SecretTextLength = 43; // base64url of 32 bytes, unpadded

    private readonly KeyBytes _secret;

    private ApiKeyToken(string keyId, KeyBytes secret)
    {
        KeyId = keyId;
        _secret = secret;
    }

    public string KeyId { get; }

    public static ApiKeyToken Generate() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(KeyIdBytes)), KeyBytes.Random());

    /// <exception cref="FaceException"><c>unauthorized</c> when <paramref name="presented"/> is not an API key.</exception>
    public static ApiKeyToken Parse(string? presented)
    {
        var text = presented.AsSpan().Trim();
        var idLength = KeyIdBytes * 2;
        if (text.Length != Prefix.Length + idLength + 1 + SecretTextLength || !text.StartsWith(Prefix, StringComparison.Ordinal)
            || text[Prefix.Length + idLength] != '_')
        {
            throw Malformed();
        }
        var keyId = text.Slice(Prefix.Length, idLength);
        if (!keyId.ToString().All(char.IsAsciiHexDigitLower)) throw Malformed();

        Span<byte> secret = stackalloc byte[KeyBytes.Length + 2];
        try
        {
            if (Base64Url.DecodeFromChars(text[(Prefix.Length + idLength + 1)..], secret, out _, out var written) != System.Buffers.OperationStatus.Done
                || written != KeyBytes.Length)
            {
                throw Malformed();
            }
            return new ApiKeyToken(keyId.ToString(), KeyBytes.Copy(secret[..KeyBytes.Length]));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>The full key as text, to show its holder once when it is created. Never log or store it.</summary>
    public string Reveal() => $"{Prefix}{KeyId}_{Base64Url.EncodeToString(_secret.Span)}";

    /// <summary>What the service stores: SHA-256 of the secret bits.</summary>
    internal byte[] SecretHash() => SHA256.HashData(_secret.Span);

    public void Dispose() => _secret.Dispose();

    public override string ToString() => $"ApiKey({KeyId}, redacted)";

    private static FaceException Malformed() =>
        new(FaceErrorCode.Unauthorized, $"The API key is malformed: it is {Prefix}, 12 hex digits, '_' and 43 base64url characters.");
}
