using System.Text.Json.Serialization;

namespace IntelliFace.Client;

/// <summary>Where a face is in the photo, in the original photo's pixels (EXIF orientation applied), origin top left.</summary>
public sealed record FaceBox(double X, double Y, double Width, double Height);

/// <summary>The face a result is about.</summary>
/// <param name="FacesDetected">How many faces the photo shows; recognition used the largest.</param>
/// <param name="Score">The detector's confidence, 0 to 1.</param>
/// <param name="Box">Where the face is.</param>
public sealed record FaceInfo(int FacesDetected, double Score, FaceBox Box);

/// <summary>A new template of a subject (201 Created).</summary>
/// <param name="Template">The template's id.</param>
/// <param name="Pack">The model pack that made it; only this pack can match it.</param>
public sealed record EnrollResult(string Tenant, string Subject, string Template, string Pack, FaceInfo Face)
{
    /// <summary>The template's address, from the <c>Location</c> header: <c>/v1/subjects/{subject}/templates/{template}</c>.</summary>
    [JsonIgnore]
    public Uri? Location { get; init; }
}

/// <summary>Whether a photo shows a subject (1:1).</summary>
/// <param name="Match">True when <see cref="Similarity"/> is at least <see cref="Threshold"/>.</param>
/// <param name="Similarity">Cosine similarity of the photo's face to the subject's closest template, -1 to 1 (6 decimals).</param>
/// <param name="Threshold">The similarity from which two faces count as the same person: the pack's calibrated threshold.</param>
/// <param name="Pack">The model pack that compared.</param>
public sealed record VerifyResult(bool Match, double Similarity, double Threshold, string Subject, string Pack, FaceInfo Face);

/// <summary>A subject of the tenant close to the probe, best first.</summary>
public sealed record Candidate(string Subject, double Similarity);

/// <summary>Who among the tenant's subjects a photo shows (1:N).</summary>
/// <param name="Match">The best candidate when its similarity reaches <see cref="Threshold"/>; null ("no match")
/// rather than the nearest stranger.</param>
/// <param name="Candidates">The subjects whose similarity reaches <see cref="Threshold"/>, best first, at most the <c>top</c>
/// asked for; empty for no match (strangers are never listed).</param>
/// <param name="Threshold">The threshold applied: the pack's, or the stricter one asked for.</param>
public sealed record IdentifyResult(string? Match, IReadOnlyList<Candidate> Candidates, double Threshold, string Pack, FaceInfo Face);

/// <summary>Whether two photos show the same person. Nothing is stored.</summary>
/// <param name="Similarity">Cosine similarity of the two faces, -1 to 1.</param>
/// <param name="Threshold">The pack's calibrated same-person threshold.</param>
public sealed record CompareResult(bool Match, double Similarity, double Threshold, string Pack, FaceInfo FaceA, FaceInfo FaceB);

/// <summary>A subject as listed: how many templates, made by which packs. Never an embedding.</summary>
public sealed record SubjectInfo(string Subject, int Templates, IReadOnlyList<string> Packs, DateTimeOffset CreatedUtc);

/// <summary>The tenant's subjects.</summary>
public sealed record SubjectList(string Tenant, IReadOnlyList<SubjectInfo> Subjects);

/// <summary>A template's metadata; the embedding itself never leaves the service unsealed.</summary>
/// <param name="KeyVersion">The version of the subject key that seals the template (a tenant key rotation re-wraps the
/// subject's key and leaves this as it is).</param>
/// <param name="LastUsedUtc">When it was last enrolled or matched (retention counts from there).</param>
public sealed record TemplateInfo(string Template, string Pack, int KeyVersion, DateTimeOffset CreatedUtc, DateTimeOffset LastUsedUtc);

/// <summary>A subject's templates.</summary>
public sealed record TemplateList(string Subject, IReadOnlyList<TemplateInfo> Templates);

/// <summary>A subject's consent record (required before enrollment when the tenant's policy says so).</summary>
/// <param name="LawfulBasis">One of <see cref="LawfulBasis"/>.</param>
/// <param name="NoticeVersion">The version of the privacy notice the subject was shown.</param>
public sealed record ConsentRecord(string Tenant, string Subject, string LawfulBasis, string NoticeVersion, DateTimeOffset GivenUtc, DateTimeOffset RecordedUtc);

/// <summary>The subject's templates sealed for the RSA public key given with the export (RSA-OAEP-wrapped AES-GCM key).</summary>
public sealed record SealedTemplates(string Algorithm, string AssociatedData, byte[] WrappedKey, byte[] Nonce, byte[] Ciphertext, byte[] Tag);

/// <summary>A subject's GDPR export: metadata, consent, the audit entries about the subject and, when a recipient key
/// was given, the templates sealed for it.</summary>
public sealed record SubjectExport(
    string Tenant, string Subject, DateTimeOffset CreatedUtc, ConsentRecord? Consent, IReadOnlyList<TemplateInfo> Templates,
    IReadOnlyList<AuditEntry> Audit, SealedTemplates? SealedTemplates);

/// <summary>One entry of the hash-chained audit log.</summary>
/// <param name="Seq">Its position in the log; pass the last one seen as <c>after</c> to read on.</param>
/// <param name="Actor">Who acted: <c>apikey:KEYID</c>, <c>operator:NAME</c>, <c>local</c></param>
/// <param name="Action">What was done, for example <c>enroll</c> or <c>subject.erase</c>.</param>
/// <param name="Outcome"><c>ok</c>, or the error code of a refusal.</param>
/// <param name="Hash">The entry's chain hash (hex).</param>
/// <param name="Mac">The entry's MAC (hex).</param>
public sealed record AuditEntry(
    long Seq, DateTimeOffset AtUtc, string Actor, string Action, string? Tenant, string? Subject, string Outcome,
    IReadOnlyDictionary<string, string> Details, string Hash, string Mac);

/// <summary>A tenant's audit entries, in order.</summary>
public sealed record AuditTrail(string Tenant, IReadOnlyList<AuditEntry> Entries);

/// <summary>What <c>/healthz</c> (<c>ok</c>) and <c>/readyz</c> (<c>ready</c>, with the loaded pack) answer.</summary>
public sealed record ServiceStatus(string Status, string? Pack = null);

/// <summary>The lawful bases a consent record may name (GDPR Art. 9(2)).</summary>
public static class LawfulBasis
{
    /// <summary>Art. 9(2)(a).</summary>
    public const string ExplicitConsent = "explicit_consent";

    /// <summary>Art. 9(2)(b).</summary>
    public const string Employment = "employment";

    /// <summary>Art. 9(2)(c).</summary>
    public const string VitalInterests = "vital_interests";

    /// <summary>Art. 9(2)(f).</summary>
    public const string LegalClaims = "legal_claims";

    /// <summary>Art. 9(2)(g).</summary>
    public const string SubstantialPublicInterest = "substantial_public_interest";
}
