using System.Data.Common;
using System.Security.Cryptography;
using IntelliFace.Vault.Storage;

namespace IntelliFace.Tenancy;

/// <summary>A break-glass grant: one operator's time-limited read access to one tenant, approved by another.</summary>
/// <param name="Operations">The read operations it allows (<see cref="BreakGlassPolicy.ReadOperations"/>).</param>
public sealed record BreakGlassGrant(
    string Id, TenantId Tenant, OperatorName RequestedBy, string Reason, string Ticket, IReadOnlyList<string> Operations, int Minutes,
    DateTimeOffset RequestedUtc, OperatorName? ApprovedBy, DateTimeOffset? ApprovedUtc, DateTimeOffset? ExpiresUtc, DateTimeOffset? RevokedUtc);

/// <summary>
/// The rules of break-glass access: which operations a grant may name, and how long it may last (at most 60
/// minutes; <c>INTELLIFACE_BREAKGLASS_MAX_MINUTES</c> sets a lower bound for an installation).
/// </summary>
public sealed record BreakGlassPolicy(int MaxMinutes)
{
    public const int Ceiling = 60;
    public const string MaxMinutesVariable = "INTELLIFACE_BREAKGLASS_MAX_MINUTES";

    /// <summary>The read operations a grant may name; nothing that writes, erases or recognises.</summary>
    public static readonly IReadOnlyList<string> ReadOperations = ["subjects.list", "subject.export", "audit.export"];

    public static BreakGlassPolicy Default { get; } = new(Ceiling);

    public int MaxMinutes { get; } = MaxMinutes is >= 1 and <= Ceiling
        ? MaxMinutes
        : throw new FaceException(FaceErrorCode.InvalidArgument, $"The break-glass limit is 1-{Ceiling} minutes, not {MaxMinutes}.");

    /// <summary>The policy from the environment: the variable when set, else <see cref="Ceiling"/>.</summary>
    public static BreakGlassPolicy FromEnvironment() =>
        Environment.GetEnvironmentVariable(MaxMinutesVariable) is { Length: > 0 } text
            ? new(int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var minutes) ? minutes : 0)
            : Default;
}

/// <summary>The grants table. Thread-safe; each write is atomic and checks the state it changes.</summary>
internal sealed class GrantStore(SqlDatabase database)
{
    private const string Columns =
        "grant_id, tenant_id, requested_by, reason, ticket, operations, minutes, requested_ms, approved_by, approved_ms, expires_ms, revoked_ms";

    public BreakGlassGrant Add(TenantId tenant, OperatorName requestedBy, string reason, string ticket, IReadOnlyList<string> operations, int minutes, DateTimeOffset now)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        database.Write(session => session.Execute(
            $"INSERT INTO breakglass_grants ({Columns}) VALUES (@id, @tenant, @by, @reason, @ticket, @operations, @minutes, @now, NULL, NULL, NULL, NULL)",
            ("@id", id), ("@tenant", tenant.Value), ("@by", requestedBy.Value), ("@reason", reason), ("@ticket", ticket),
            ("@operations", string.Join(",", operations)), ("@minutes", (long)minutes), ("@now", StoredTime.Of(now))));
        return Find(id)!;
    }

    public BreakGlassGrant? Find(string id) => database.Read(session => session.Query(
        $"SELECT {Columns} FROM breakglass_grants WHERE grant_id = @id", Read, ("@id", id)).SingleOrDefault());

    public IReadOnlyList<BreakGlassGrant> List(TenantId? tenant) => database.Read(session => tenant is { } one
        ? session.Query($"SELECT {Columns} FROM breakglass_grants WHERE tenant_id = @tenant ORDER BY requested_ms, grant_id", Read, ("@tenant", one.Value))
        : session.Query($"SELECT {Columns} FROM breakglass_grants ORDER BY requested_ms, grant_id", Read));

    /// <summary>Approves a pending grant; false when it was approved or revoked meanwhile.</summary>
    public bool Approve(string id, OperatorName approvedBy, DateTimeOffset now, DateTimeOffset expires) => database.Write(session => session.Execute(
        "UPDATE breakglass_grants SET approved_by = @by, approved_ms = @now, expires_ms = @expires WHERE grant_id = @id AND approved_ms IS NULL AND revoked_ms IS NULL",
        ("@by", approvedBy.Value), ("@now", StoredTime.Of(now)), ("@expires", StoredTime.Of(expires)), ("@id", id)) == 1);

    public bool Revoke(string id, DateTimeOffset now) => database.Write(session => session.Execute(
        "UPDATE breakglass_grants SET revoked_ms = @now WHERE grant_id = @id AND revoked_ms IS NULL", ("@now", StoredTime.Of(now)), ("@id", id)) == 1);

    private static BreakGlassGrant Read(DbDataReader reader) => new(
        reader.GetString(0), new TenantId(reader.GetString(1)), new OperatorName(reader.GetString(2)), reader.GetString(3), reader.GetString(4),
        reader.GetString(5).Split(',', StringSplitOptions.RemoveEmptyEntries), checked((int)reader.GetInt64(6)), StoredTime.From(reader, 7),
        reader.IsDBNull(8) ? null : new OperatorName(reader.GetString(8)), StoredTime.FromNullable(reader, 9), StoredTime.FromNullable(reader, 10),
        StoredTime.FromNullable(reader, 11));
}

/// <summary>The one check of a use of a grant.</summary>
internal static class BreakGlassRules
{
    /// <exception cref="FaceException"><c>unknown_grant</c>, <c>forbidden</c> (another operator's grant, another tenant,
    /// an operation the grant does not name), <c>grant_not_approved</c>, <c>grant_expired</c> (expired or revoked).</exception>
    public static void DemandUse(BreakGlassGrant? grant, Caller caller, TenantId tenant, string operation, DateTimeOffset now)
    {
        if (grant is null) throw new FaceException(FaceErrorCode.UnknownGrant, $"There is no break-glass grant {caller.GrantId}.");
        if (grant.RequestedBy.Value != caller.OperatorName)
            throw new FaceException(FaceErrorCode.Forbidden, $"Break-glass grant {grant.Id} was issued to another operator.");
        if (grant.Tenant != tenant)
            throw new FaceException(FaceErrorCode.Forbidden, $"Break-glass grant {grant.Id} is for tenant {grant.Tenant}, not {tenant}.");
        if (grant.RevokedUtc is not null) throw new FaceException(FaceErrorCode.GrantExpired, $"Break-glass grant {grant.Id} was revoked.");
        if (grant.ExpiresUtc is not { } expires) throw new FaceException(FaceErrorCode.GrantNotApproved, $"Break-glass grant {grant.Id} is not approved yet.");
        if (now >= expires) throw new FaceException(FaceErrorCode.GrantExpired, $"Break-glass grant {grant.Id} expired at {expires:yyyy-MM-dd'T'HH:mm:ss'Z'}.");
        if (!grant.Operations.Contains(operation))
            throw new FaceException(FaceErrorCode.Forbidden, $"Break-glass grant {grant.Id} does not allow {operation}; it allows {string.Join(", ", grant.Operations)}.");
    }
}
