using System.Globalization;
using System.Text.Json.Nodes;
using IntelliFace.Audit;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Recognition;

/// <summary>
/// The JSON documents the hosts answer with: the CLI's <c>--json</c> output and the HTTP API's bodies are
/// these, field for field (snake_case). One place, so the two hosts cannot drift apart.
/// </summary>
public static class ResultDocuments
{
    public static JsonObject Enroll(TenantId tenant, EnrollResult result) => new()
    {
        ["tenant"] = tenant.Value,
        ["subject"] = result.Subject.Value,
        ["template"] = result.Template.Value,
        ["pack"] = result.Pack.Value,
        ["face"] = Face(result.Face),
    };

    public static JsonObject Verify(SubjectId subject, VerifyResult result) => new()
    {
        ["match"] = result.Match,
        ["similarity"] = Similarity(result.Similarity),
        ["threshold"] = result.Threshold,
        ["subject"] = subject.Value,
        ["pack"] = result.Pack.Value,
        ["face"] = Face(result.Face),
    };

    public static JsonObject Identify(IdentifyResult result) => new()
    {
        ["match"] = result.Match?.Value,
        ["candidates"] = Array(result.Candidates, c => new JsonObject { ["subject"] = c.Subject.Value, ["similarity"] = Similarity(c.Similarity) }),
        ["threshold"] = result.Threshold,
        ["pack"] = result.Pack.Value,
        ["face"] = Face(result.Face),
    };

    public static JsonObject Compare(CompareResult result) => new()
    {
        ["match"] = result.Match,
        ["similarity"] = Similarity(result.Similarity),
        ["threshold"] = result.Threshold,
        ["pack"] = result.Pack.Value,
        ["face_a"] = Face(result.FaceA),
        ["face_b"] = Face(result.FaceB),
    };

    /// <summary>A similarity as reported: 6 decimals.</summary>
    public static double Similarity(double similarity) => Math.Round(similarity, 6);

    public static JsonObject Face(FaceSummary face) => new()
    {
        ["faces_detected"] = face.FacesDetected,
        ["score"] = Math.Round(face.Score, 4),
        ["box"] = new JsonObject
        {
            ["x"] = Math.Round(face.Box.X, 1),
            ["y"] = Math.Round(face.Box.Y, 1),
            ["width"] = Math.Round(face.Box.Width, 1),
            ["height"] = Math.Round(face.Box.Height, 1),
        },
    };

    public static JsonObject Subjects(TenantId tenant, IReadOnlyList<SubjectSummary> subjects) => new()
    {
        ["tenant"] = tenant.Value,
        ["subjects"] = Array(subjects, Subject),
    };

    public static JsonObject Subject(SubjectSummary subject) => new()
    {
        ["subject"] = subject.Subject.Value,
        ["templates"] = subject.TemplateCount,
        ["packs"] = Strings(subject.Packs.Select(p => p.Value)),
        ["created_utc"] = subject.CreatedUtc.ToString("O", CultureInfo.InvariantCulture),
    };

    /// <summary>A subject's templates: metadata only, never an embedding.</summary>
    public static JsonObject Templates(SubjectId subject, IReadOnlyList<TemplateInfo> templates) => new()
    {
        ["subject"] = subject.Value,
        ["templates"] = Array(templates, Template),
    };

    public static JsonObject Template(TemplateInfo template) => new()
    {
        ["template"] = template.Id.Value,
        ["pack"] = template.Pack.Value,
        ["key_version"] = template.KeyVersion,
        ["created_utc"] = Millis(template.CreatedUtc),
        ["last_used_utc"] = Millis(template.LastUsedUtc),
    };

    /// <summary>What a state change did, for example <c>{"suspended": "acme"}</c>.</summary>
    public static JsonObject Done(string what, string id) => new() { [what] = id };

    public static JsonObject Erased(TenantId tenant, SubjectId subject) => new() { ["erased"] = subject.Value, ["tenant"] = tenant.Value };

    public static JsonObject Consent(ConsentRecord consent) => new()
    {
        ["tenant"] = consent.Tenant.Value,
        ["subject"] = consent.Subject.Value,
        ["lawful_basis"] = consent.LawfulBasis,
        ["notice_version"] = consent.NoticeVersion,
        ["given_utc"] = Millis(consent.GivenUtc),
        ["recorded_utc"] = Millis(consent.RecordedUtc),
    };

    public static JsonObject SubjectExport(SubjectExport record) => new()
    {
        ["tenant"] = record.Tenant.Value,
        ["subject"] = record.Subject.Value,
        ["created_utc"] = Millis(record.CreatedUtc),
        ["consent"] = record.Consent is null ? null : Consent(record.Consent),
        ["templates"] = Array(record.Templates, Template),
        ["audit"] = Array(record.AuditEntries, AuditEntry),
        ["sealed_templates"] = record.Sealed is not { } sealedTemplates ? null : new JsonObject
        {
            ["algorithm"] = sealedTemplates.Algorithm,
            ["associated_data"] = sealedTemplates.AssociatedData,
            ["wrapped_key"] = Convert.ToBase64String(sealedTemplates.WrappedKey),
            ["nonce"] = Convert.ToBase64String(sealedTemplates.Nonce),
            ["ciphertext"] = Convert.ToBase64String(sealedTemplates.Ciphertext),
            ["tag"] = Convert.ToBase64String(sealedTemplates.Tag),
        },
    };

    public static JsonObject AuditTrail(TenantId tenant, IReadOnlyList<AuditEntry> entries) => new()
    {
        ["tenant"] = tenant.Value,
        ["entries"] = Array(entries, AuditEntry),
    };

    public static JsonObject AuditEntry(AuditEntry entry)
    {
        var details = new JsonObject();
        foreach (var (name, value) in entry.Record.Details.OrderBy(d => d.Key, StringComparer.Ordinal)) details[name] = value;
        return new JsonObject
        {
            ["seq"] = entry.Sequence,
            ["at_utc"] = Millis(entry.AtUtc),
            ["actor"] = entry.Record.Actor,
            ["action"] = entry.Record.Action,
            ["tenant"] = entry.Record.Tenant?.Value,
            ["subject"] = entry.Record.Subject?.Value,
            ["outcome"] = entry.Record.Outcome,
            ["details"] = details,
            ["hash"] = Convert.ToHexStringLower(entry.Hash),
            ["mac"] = Convert.ToHexStringLower(entry.Mac),
        };
    }

    public static JsonObject AuditVerification(AuditVerification result) => new()
    {
        ["intact"] = result.Intact,
        ["entries"] = result.EntriesChecked,
        ["first_bad_entry"] = result.FirstBadSequence,
        ["problem"] = result.Problem,
    };

    public static JsonObject Tenants(IReadOnlyList<TenantRecord> tenants) => new() { ["tenants"] = Array(tenants, Tenant) };

    public static JsonObject Tenant(TenantRecord tenant) => new()
    {
        ["tenant"] = tenant.Id.Value,
        ["status"] = TenantStatusName(tenant.Status),
        ["consent_required"] = tenant.ConsentRequired,
        ["retention_days"] = tenant.RetentionDays,
        ["created_utc"] = tenant.CreatedUtc.ToString("O", CultureInfo.InvariantCulture),
    };

    public static string TenantStatusName(TenantStatus status) => status.ToString().ToLowerInvariant();

    public static JsonObject TenantPolicy(TenantRecord tenant) => new()
    {
        ["tenant"] = tenant.Id.Value,
        ["consent_required"] = tenant.ConsentRequired,
        ["retention_days"] = tenant.RetentionDays,
    };

    /// <summary>A new tenant API key with its secret: shown to its holder once.</summary>
    public static JsonObject NewApiKey(TenantId tenant, ApiKeyToken token, Scopes scopes) => new()
    {
        ["tenant"] = tenant.Value,
        ["key_id"] = token.KeyId,
        ["scopes"] = ScopeNames.Format(scopes),
        ["api_key"] = token.Reveal(),
    };

    public static JsonObject ApiKeys(IReadOnlyList<ApiKeyInfo> keys) => new() { ["keys"] = Array(keys, ApiKey) };

    /// <summary>An API key as listed: never its secret.</summary>
    public static JsonObject ApiKey(ApiKeyInfo key) => new()
    {
        ["key_id"] = key.KeyId,
        ["tenant"] = key.Tenant?.Value,
        ["operator"] = key.OperatorName,
        ["scopes"] = ScopeNames.Format(key.Scopes),
        ["created_utc"] = key.CreatedUtc.ToString("O", CultureInfo.InvariantCulture),
        ["revoked_utc"] = key.RevokedUtc?.ToString("O", CultureInfo.InvariantCulture),
    };

    public static JsonObject Rotation(RotationResult result, TenantId? tenant) => new()
    {
        ["tenant"] = tenant?.Value,
        ["from"] = result.FromVersion,
        ["to"] = result.ToVersion,
        ["rewrapped"] = result.Rewrapped,
        ["resumed"] = result.Resumed,
    };

    public static JsonObject Retention(IReadOnlyList<RetentionResult> results) => new()
    {
        ["erased"] = Array(results, r => new JsonObject
        {
            ["tenant"] = r.Tenant.Value, ["retention_days"] = r.RetentionDays, ["templates"] = r.TemplatesErased, ["subjects"] = r.SubjectsErased,
        }),
    };

    public static JsonObject Grants(IReadOnlyList<BreakGlassGrant> grants) => new() { ["grants"] = Array(grants, Grant) };

    public static JsonObject Grant(BreakGlassGrant grant) => new()
    {
        ["grant"] = grant.Id,
        ["tenant"] = grant.Tenant.Value,
        ["requested_by"] = grant.RequestedBy.Value,
        ["reason"] = grant.Reason,
        ["ticket"] = grant.Ticket,
        ["operations"] = Strings(grant.Operations),
        ["minutes"] = grant.Minutes,
        ["approved_by"] = grant.ApprovedBy?.Value,
        ["expires_utc"] = Seconds(grant.ExpiresUtc),
        ["revoked_utc"] = Seconds(grant.RevokedUtc),
    };

    /// <summary>What <c>subjects.list</c> under a break-glass grant shows: the subject ids only.</summary>
    public static JsonObject SubjectIds(TenantId tenant, IReadOnlyList<SubjectSummary> subjects) => new()
    {
        ["tenant"] = tenant.Value,
        ["subjects"] = Strings(subjects.Select(s => s.Subject.Value)),
    };

    /// <summary>The document of a read under a break-glass grant.</summary>
    public static JsonObject BreakGlassRead(BreakGlassRead read) => read switch
    {
        { Subjects: { } subjects } => SubjectIds(read.Tenant, subjects),
        { AuditEntries: { } entries } => AuditTrail(read.Tenant, entries),
        { Export: { } export } => SubjectExport(export),
        _ => throw new ArgumentException($"The break-glass read {read.Operation} holds no result.", nameof(read)),
    };

    /// <summary>UTC to the second, as grants show their times.</summary>
    public static string? Seconds(DateTimeOffset? value) => value?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Millis(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonObject> map) => new(items.Select(item => (JsonNode)map(item)).ToArray());

    private static JsonArray Strings(IEnumerable<string> items) => new(items.Select(item => (JsonNode)JsonValue.Create(item)).ToArray());
}
