using System.Security.Cryptography;
using IntelliFace.Embedding;
using IntelliFace.Tenancy;

namespace IntelliFace.Vault;

/// <summary>
/// Seals an embedding into a <see cref="SealedEnvelope"/> under its subject's key; the header carries the
/// subject key version. The associated data binds the envelope to its tenant, subject, template id, pack and
/// key version, so a sealed blob copied onto any other record fails to open instead of answering for someone else.
/// </summary>
internal static class TemplateSeal
{
    public const string FormatTag = "intelliface/template/v1";

    public static byte[] Seal(SubjectKey key, TemplateId template, FaceEmbedding embedding)
    {
        var associatedData = AssociatedDataFor(key.Tenant, key.Subject, template, embedding.Pack, key.Version);
        return SealedEnvelope.Seal(key.Bytes, key.Version, embedding.AsBytes(), associatedData);
    }

    /// <exception cref="FaceException"><c>template_unreadable</c> when the blob was altered, or belongs to another
    /// tenant, subject, template, pack or key version.</exception>
    public static FaceEmbedding Open(SubjectKey key, TemplateId template, PackId pack, ReadOnlySpan<byte> sealedTemplate)
    {
        if (!SealedEnvelope.TryReadKeyVersion(sealedTemplate, out var keyVersion) || keyVersion != key.Version
            || SealedEnvelope.PlaintextLength(sealedTemplate) != FaceEmbedding.ByteLength)
        {
            throw Unreadable(template);
        }

        var associatedData = AssociatedDataFor(key.Tenant, key.Subject, template, pack, key.Version);
        Span<byte> plaintext = stackalloc byte[FaceEmbedding.ByteLength];
        try
        {
            if (!SealedEnvelope.TryOpen(key.Bytes, sealedTemplate, associatedData, plaintext)) throw Unreadable(template);
            return FaceEmbedding.FromBytes(pack, plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    internal static byte[] AssociatedDataFor(TenantId tenant, SubjectId subject, TemplateId template, PackId pack, int keyVersion) =>
        new AssociatedData(FormatTag)
            .Text(tenant.Value)
            .Text(subject.Value)
            .Text(template.Value)
            .Text(pack.Value)
            .UInt32(keyVersion)
            .ToArray();

    internal static FaceException Unreadable(TemplateId template) =>
        new(FaceErrorCode.TemplateUnreadable,
            $"Template {template} cannot be opened: it was altered or moved from another record.");
}
