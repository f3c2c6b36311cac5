using System.Data.Common;
using IntelliFace.Vault.Storage;

namespace IntelliFace.Tenancy;

public enum TenantStatus
{
    Active,
    /// <summary>Every request for the tenant's data is refused (<c>tenant_suspended</c>); nothing is deleted.</summary>
    Suspended,
    /// <summary>Its keys are being shredded and its rows purged; resumed by deleting again.</summary>
    Deleting,
}

/// <summary>A tenant and its data policy.</summary>
/// <param name="ConsentRequired">When true, a subject can be enrolled only after a consent record.</param>
/// <param name="RetentionDays">Templates unused for this many days are erased by the retention job; null keeps them.</param>
public sealed record TenantRecord(TenantId Id, TenantStatus Status, bool ConsentRequired, int? RetentionDays, DateTimeOffset CreatedUtc);

/// <summary>The tenants table: lifecycle state and policy. Thread-safe; each write is atomic.</summary>
internal sealed class TenantDirectory(SqlDatabase database)
{
    private const string Columns = "tenant_id, status, consent_required, retention_days, created_ms";

    /// <summary>Adds the tenant unless it exists; true when this call added it.</summary>
    public bool Create(TenantId tenant, bool consentRequired, int? retentionDays, DateTimeOffset createdUtc) => database.Write(session => session.Execute(
        $"INSERT INTO tenants ({Columns}) VALUES (@tenant, 'active', @consent, @retention, @created) ON CONFLICT DO NOTHING",
        ("@tenant", tenant.Value), ("@consent", consentRequired ? 1L : 0L), ("@retention", (long?)retentionDays), ("@created", StoredTime.Of(createdUtc))) == 1);

    public TenantRecord? Find(TenantId tenant) => database.Read(session => session.Query(
        $"SELECT {Columns} FROM tenants WHERE tenant_id = @tenant", Read, ("@tenant", tenant.Value)).SingleOrDefault());

    public IReadOnlyList<TenantRecord> List() => database.Read(session => session.Query($"SELECT {Columns} FROM tenants ORDER BY tenant_id", Read));

    public bool SetStatus(TenantId tenant, TenantStatus status) => database.Write(session => session.Execute(
        "UPDATE tenants SET status = @status WHERE tenant_id = @tenant", ("@status", Name(status)), ("@tenant", tenant.Value)) == 1);

    public bool SetPolicy(TenantId tenant, bool consentRequired, int? retentionDays) => database.Write(session => session.Execute(
        "UPDATE tenants SET consent_required = @consent, retention_days = @retention WHERE tenant_id = @tenant",
        ("@consent", consentRequired ? 1L : 0L), ("@retention", (long?)retentionDays), ("@tenant", tenant.Value)) == 1);

    /// <summary>Removes every row of the tenant from the vault database in one transaction (the audit log excepted).</summary>
    public void Purge(TenantId tenant) => database.Write(session =>
    {
        foreach (var table in TenantTables.Rows)
            session.Execute($"DELETE FROM {table} WHERE tenant_id = @tenant", ("@tenant", tenant.Value));
        session.Execute("DELETE FROM tenants WHERE tenant_id = @tenant", ("@tenant", tenant.Value));
    });

    private static string Name(TenantStatus status) => status switch
    {
        TenantStatus.Active => "active",
        TenantStatus.Suspended => "suspended",
        _ => "deleting",
    };

    private static TenantRecord Read(DbDataReader reader) => new(
        new TenantId(reader.GetString(0)),
        reader.GetString(1) switch { "active" => TenantStatus.Active, "suspended" => TenantStatus.Suspended, _ => TenantStatus.Deleting },
        reader.GetInt64(2) != 0,
        reader.IsDBNull(3) ? null : checked((int)reader.GetInt64(3)),
        StoredTime.From(reader, 4));
}

/// <summary>The vault database's tables holding rows of a tenant, children first: what deleting a tenant purges.</summary>
internal static class TenantTables
{
    public static readonly string[] Rows = ["templates", "subjects", "consents", "credentials", "breakglass_grants"];
}
