using System.Text;

namespace IntelliFace.Client;

/// <summary>A tenant and its policy.</summary>
/// <param name="Status"><c>active</c>, <c>suspended</c> or <c>deleting</c>.</param>
/// <param name="ConsentRequired">Whether enrollment needs a consent record first.</param>
/// <param name="RetentionDays">Days a template may go unused before the retention run erases it; null keeps templates.</param>
public sealed record TenantInfo(string Tenant, string Status, bool ConsentRequired, int? RetentionDays, DateTimeOffset CreatedUtc);

/// <summary>A tenant's policy as set.</summary>
public sealed record TenantPolicy(string Tenant, bool ConsentRequired, int? RetentionDays);

/// <summary>
/// A new tenant API key. <see cref="ApiKey"/> is the secret, shown this once: hand it to its holder and keep no copy.
/// <see cref="ToString"/> leaves it out.
/// </summary>
/// <param name="Scopes">Comma-separated scope names (see <see cref="ApiKeyScopes"/>).</param>
public sealed record NewApiKey(string Tenant, string KeyId, string Scopes, string ApiKey)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Tenant = {Tenant}, KeyId = {KeyId}, Scopes = {Scopes}, ApiKey = (hidden)");
        return true;
    }
}

/// <summary>An API key as listed: never its secret.</summary>
/// <param name="Operator">The operator's name, for an operator key.</param>
/// <param name="Scopes">Comma-separated scope names.</param>
public sealed record ApiKeyInfo(string KeyId, string? Tenant, string? Operator, string Scopes, DateTimeOffset CreatedUtc, DateTimeOffset? RevokedUtc);

/// <summary>A tenant key rotation: the subject keys re-wrapped from one tenant key version to the next.</summary>
/// <param name="Resumed">True when this finished a rotation cut short earlier.</param>
public sealed record KeyRotation(string? Tenant, string From, string To, long Rewrapped, bool Resumed);

/// <summary>What a retention run erased in one tenant.</summary>
public sealed record RetentionErasure(string Tenant, int RetentionDays, int Templates, int Subjects);

/// <summary>The audit chain checked from its first entry.</summary>
/// <param name="Intact">True when every entry's hash and MAC hold.</param>
/// <param name="Entries">How many entries were checked.</param>
/// <param name="FirstBadEntry">The sequence number of the first entry that does not hold, when any.</param>
/// <param name="Problem">What is wrong with it.</param>
public sealed record AuditVerification(bool Intact, long Entries, long? FirstBadEntry, string? Problem);

/// <summary>
/// A break-glass grant: one operator's time-limited read access to one tenant, for a reason and a ticket, approved by
/// another operator.
/// </summary>
/// <param name="Grant">The grant's id.</param>
/// <param name="Operations">What it allows: <see cref="BreakGlassOperations"/>.</param>
/// <param name="Minutes">How long it lasts once approved.</param>
/// <param name="ApprovedBy">The approving operator; null while pending.</param>
/// <param name="ExpiresUtc">When it ends (set on approval), to the second.</param>
/// <param name="RevokedUtc">When it was revoked, if it was.</param>
public sealed record BreakGlassGrant(
    string Grant, string Tenant, string RequestedBy, string Reason, string Ticket, IReadOnlyList<string> Operations, int Minutes,
    string? ApprovedBy, DateTimeOffset? ExpiresUtc, DateTimeOffset? RevokedUtc);

/// <summary>A tenant's subject ids, as a <c>subjects.list</c> break-glass read shows them.</summary>
public sealed record SubjectIdList(string Tenant, IReadOnlyList<string> Subjects);

/// <summary>The scopes of a tenant API key.</summary>
public static class ApiKeyScopes
{
    /// <summary>Enroll templates.</summary>
    public const string Enroll = "enroll";

    /// <summary>Verify, identify and compare.</summary>
    public const string Recognise = "recognise";

    /// <summary>List, get, erase and export subjects; list templates; record consent.</summary>
    public const string ManageSubjects = "manage_subjects";

    /// <summary>Read the tenant's audit trail.</summary>
    public const string ReadAudit = "read_audit";
}

/// <summary>The reads a break-glass grant may allow.</summary>
public static class BreakGlassOperations
{
    /// <summary>The tenant's subject ids.</summary>
    public const string ListSubjects = "subjects.list";

    /// <summary>One subject's export (metadata only, never templates).</summary>
    public const string ExportSubject = "subject.export";

    /// <summary>The tenant's audit trail.</summary>
    public const string ExportAudit = "audit.export";
}
