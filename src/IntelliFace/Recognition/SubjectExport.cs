using System.Security.Cryptography;
using System.Text.Json;
using IntelliFace.Audit;
using IntelliFace.Embedding;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Recognition;

/// <summary>One stored template as a data subject's record shows it: never the embedding.</summary>
public sealed record TemplateInfo(TemplateId Id, PackId Pack, int KeyVersion, DateTimeOffset CreatedUtc, DateTimeOffset LastUsedUtc);

/// <summary>
/// A subject's record (GDPR Art. 15 and 20): metadata, model packs, dates, consent, the audit entries about the
/// subject, and, only for the tenant itself, the templates sealed for it (<see cref="Sealed"/>).
/// </summary>
public sealed record SubjectExport(
    TenantId Tenant, SubjectId Subject, DateTimeOffset CreatedUtc, ConsentRecord? Consent, IReadOnlyList<TemplateInfo> Templates,
    IReadOnlyList<AuditEntry> AuditEntries, SealedForRecipient? Sealed);

/// <summary>
/// The subject's embeddings sealed for the holder of an RSA private key: a random AES-256 key wrapped with
/// RSA-OAEP-SHA256 (<see cref="WrappedKey"/>), then AES-256-GCM over a JSON array of
/// <c>{"template": id, "pack": id, "embedding": [128 floats]}</c> with associated data
/// <see cref="AssociatedData"/>. Nothing but the recipient's private key opens it.
/// </summary>
public sealed record SealedForRecipient(string Algorithm, string AssociatedData, byte[] WrappedKey, byte[] Nonce, byte[] Ciphertext, byte[] Tag)
{
    public const string AlgorithmName = "RSA-OAEP-256+A256GCM";
    public const int MinimumRsaBits = 2048;

    internal static SealedForRecipient Seal(TenantId tenant, SubjectId subject, IReadOnlyList<OpenedTemplate> templates, string recipientPublicKeyPem)
    {
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(recipientPublicKeyPem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // ArgumentException: no PEM; CryptographicException: a PEM whose DER is no RSA public key (garbage, an EC key).
            throw new FaceException(FaceErrorCode.InvalidArgument, "The recipient key is not a PEM-encoded RSA public key.", e);
        }
        if (rsa.KeySize < MinimumRsaBits)
            throw new FaceException(FaceErrorCode.InvalidArgument, $"The recipient key has {rsa.KeySize} bits; at least {MinimumRsaBits} are required.");

        var associatedData = $"intelliface/subject-export/v1|{tenant}|{subject}";
        using var buffer = new MemoryStream();
        var key = new byte[32];
        try
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartArray();
                foreach (var template in templates)
                {
                    writer.WriteStartObject();
                    writer.WriteString("template", template.Id.Value);
                    writer.WriteString("pack", template.Embedding.Pack.Value);
                    writer.WriteStartArray("embedding");
                    foreach (var value in template.Embedding.Values) writer.WriteNumberValue(value);
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            var plaintext = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            RandomNumberGenerator.Fill(key);
            var nonce = RandomNumberGenerator.GetBytes(12);
            var ciphertext = new byte[plaintext.Length];
            var tag = new byte[16];
            using (var aes = new AesGcm(key, tag.Length))
                aes.Encrypt(nonce, plaintext, ciphertext, tag, System.Text.Encoding.UTF8.GetBytes(associatedData));
            return new SealedForRecipient(AlgorithmName, associatedData, rsa.Encrypt(key, RSAEncryptionPadding.OaepSHA256), nonce, ciphertext, tag);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(buffer.GetBuffer());
            foreach (var template in templates) template.Embedding.Clear();
        }
    }
}
