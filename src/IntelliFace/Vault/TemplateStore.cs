using System.Data.Common;
using IntelliFace.Embedding;
using IntelliFace.Tenancy;
using IntelliFace.Vault.Storage;

namespace IntelliFace.Vault;

/// <summary>A template as stored: the embedding exists only inside <paramref name="Sealed"/>, sealed under
/// version <paramref name="KeyVersion"/> of its subject's key.</summary>
internal sealed record SealedTemplate(
    TemplateId Id, TenantId Tenant, SubjectId Subject, PackId Pack, int KeyVersion, DateTimeOffset CreatedUtc, byte[] Sealed);

/// <summary>A subject of a tenant, with how many templates it has and which packs made them.</summary>
public sealed record SubjectSummary(SubjectId Subject, DateTimeOffset CreatedUtc, int TemplateCount, IReadOnlyList<PackId> Packs);

/// <summary>
/// Tenants, subjects and sealed templates in the vault database. A store never sees a plaintext key or
/// embedding: <see cref="TemplateVault"/> seals before and opens after. Every read and write of subjects and
/// templates is scoped to one tenant. Thread-safe; each write is atomic.
/// </summary>
internal sealed class TemplateStore(SqlDatabase database)
{
    public SqlDatabase Database => database;

    /// <summary>Adds the template, and its subject when new, in one transaction.</summary>
    public void AddTemplate(SealedTemplate template) => database.Write(session =>
    {
        session.Execute("INSERT INTO subjects (tenant_id, subject_id, created_ms) VALUES (@tenant, @subject, @created) ON CONFLICT DO NOTHING",
            ("@tenant", template.Tenant.Value), ("@subject", template.Subject.Value), ("@created", StoredTime.Of(template.CreatedUtc)));
        session.Execute("""
            INSERT INTO templates (template_id, tenant_id, subject_id, pack_id, key_version, created_ms, last_used_ms, sealed)
            VALUES (@id, @tenant, @subject, @pack, @version, @created, @created, @sealed)
            """,
            ("@id", template.Id.Value), ("@tenant", template.Tenant.Value), ("@subject", template.Subject.Value),
            ("@pack", template.Pack.Value), ("@version", (long)template.KeyVersion), ("@created", StoredTime.Of(template.CreatedUtc)),
            ("@sealed", template.Sealed));
    });

    /// <summary>Subjects ordered by id (ordinal), starting after <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<SubjectSummary> ListSubjects(TenantId tenant, SubjectId? after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return Summaries("subject_id > @after ORDER BY subject_id LIMIT @limit", ("@tenant", tenant.Value), ("@after", after?.Value ?? ""), ("@limit", (long)limit));
    }

    /// <summary>One subject's summary, or null when the tenant has no such subject.</summary>
    public SubjectSummary? FindSubject(TenantId tenant, SubjectId subject) =>
        Summaries("subject_id = @subject", ("@tenant", tenant.Value), ("@subject", subject.Value)).SingleOrDefault();

    private SubjectSummary[] Summaries(string subjectFilter, params (string, object?)[] parameters)
    {
        var rows = database.Read(session => session.Query($"""
            SELECT s.subject_id, s.created_ms, t.pack_id, COUNT(t.template_id)
            FROM (SELECT subject_id, created_ms FROM subjects
                  WHERE tenant_id = @tenant AND {subjectFilter}) s
            LEFT JOIN templates t ON t.tenant_id = @tenant AND t.subject_id = s.subject_id
            GROUP BY s.subject_id, s.created_ms, t.pack_id
            ORDER BY s.subject_id, t.pack_id
            """,
            reader => (
                Subject: new SubjectId(reader.GetString(0)),
                Created: StoredTime.From(reader, 1),
                Pack: reader.IsDBNull(2) ? (PackId?)null : new PackId(reader.GetString(2)),
                Count: reader.GetInt64(3)),
            parameters));
        return rows
            .GroupBy(row => row.Subject)
            .Select(group => new SubjectSummary(
                group.Key,
                group.First().Created,
                (int)group.Sum(row => row.Count),
                group.Where(row => row.Pack is not null).Select(row => row.Pack!.Value).ToArray()))
            .ToArray();
    }

    public bool SubjectExists(TenantId tenant, SubjectId subject) => database.Read(session => session.Scalar(
        "SELECT 1 FROM subjects WHERE tenant_id = @tenant AND subject_id = @subject", ("@tenant", tenant.Value), ("@subject", subject.Value)) is not null);

    /// <summary>Removes the subject and all its templates; false when there was no such subject.</summary>
    public bool DeleteSubject(TenantId tenant, SubjectId subject) => database.Write(session =>
    {
        (string, object?)[] key = [("@tenant", tenant.Value), ("@subject", subject.Value)];
        session.Execute("DELETE FROM templates WHERE tenant_id = @tenant AND subject_id = @subject", key);
        session.Execute("DELETE FROM consents WHERE tenant_id = @tenant AND subject_id = @subject", key);
        return session.Execute("DELETE FROM subjects WHERE tenant_id = @tenant AND subject_id = @subject", key) == 1;
    });

    /// <summary>Marks templates as used now (a verify or identify matched against them), for the retention policy.</summary>
    public void MarkUsed(TenantId tenant, SubjectId subject, DateTimeOffset now) => database.Write(session => session.Execute(
        "UPDATE templates SET last_used_ms = @now WHERE tenant_id = @tenant AND subject_id = @subject AND last_used_ms < @now",
        ("@now", StoredTime.Of(now)), ("@tenant", tenant.Value), ("@subject", subject.Value)));

    /// <summary>The tenant's templates last used before <paramref name="cutoff"/>, by subject.</summary>
    public IReadOnlyList<(SubjectId Subject, TemplateId Template)> UnusedSince(TenantId tenant, DateTimeOffset cutoff) => database.Read(session => session.Query(
        "SELECT subject_id, template_id FROM templates WHERE tenant_id = @tenant AND last_used_ms < @cutoff ORDER BY subject_id, template_id",
        reader => (new SubjectId(reader.GetString(0)), new TemplateId(reader.GetString(1))), ("@tenant", tenant.Value), ("@cutoff", StoredTime.Of(cutoff))));

    /// <summary>Deletes one template; returns how many templates its subject has left.</summary>
    public long DeleteTemplate(TenantId tenant, SubjectId subject, TemplateId template) => database.Write(session =>
    {
        session.Execute("DELETE FROM templates WHERE tenant_id = @tenant AND template_id = @id", ("@tenant", tenant.Value), ("@id", template.Value));
        return Convert.ToInt64(session.Scalar("SELECT COUNT(*) FROM templates WHERE tenant_id = @tenant AND subject_id = @subject",
            ("@tenant", tenant.Value), ("@subject", subject.Value)));
    });

    /// <summary>One subject's templates as stored (ids, packs, dates), without opening them.</summary>
    public IReadOnlyList<(SealedTemplate Template, DateTimeOffset LastUsedUtc)> SubjectTemplates(TenantId tenant, SubjectId subject) => database.Read(session => session.Query(
        "SELECT template_id, tenant_id, subject_id, pack_id, key_version, created_ms, sealed, last_used_ms FROM templates WHERE tenant_id = @tenant AND subject_id = @subject ORDER BY created_ms, template_id",
        reader => (ReadTemplate(reader), StoredTime.From(reader, 7)), ("@tenant", tenant.Value), ("@subject", subject.Value)));

    public DateTimeOffset? SubjectCreated(TenantId tenant, SubjectId subject) => database.Read(session => session.Query(
        "SELECT created_ms FROM subjects WHERE tenant_id = @tenant AND subject_id = @subject", reader => StoredTime.From(reader, 0),
        ("@tenant", tenant.Value), ("@subject", subject.Value)).Select(d => (DateTimeOffset?)d).SingleOrDefault());

    /// <summary>The packs the tenant's templates (or one subject's, when given) were made with, ordered.</summary>
    public IReadOnlyList<PackId> ListPacks(TenantId tenant, SubjectId? subject) => database.Read(session => subject is { } one
        ? session.Query("SELECT DISTINCT pack_id FROM templates WHERE tenant_id = @tenant AND subject_id = @subject ORDER BY pack_id",
            reader => new PackId(reader.GetString(0)), ("@tenant", tenant.Value), ("@subject", one.Value))
        : session.Query("SELECT DISTINCT pack_id FROM templates WHERE tenant_id = @tenant ORDER BY pack_id",
            reader => new PackId(reader.GetString(0)), ("@tenant", tenant.Value)));

    /// <summary>The tenant's templates of one pack (of one subject, when given), ordered by subject then creation.</summary>
    public IReadOnlyList<SealedTemplate> LoadTemplates(TenantId tenant, PackId pack, SubjectId? subject) => database.Read(session => subject is { } one
        ? session.Query($"{SelectTemplates} AND subject_id = @subject {TemplateOrder}", ReadTemplate,
            ("@tenant", tenant.Value), ("@pack", pack.Value), ("@subject", one.Value))
        : session.Query($"{SelectTemplates} {TemplateOrder}", ReadTemplate, ("@tenant", tenant.Value), ("@pack", pack.Value)));

    private const string SelectTemplates =
        "SELECT template_id, tenant_id, subject_id, pack_id, key_version, created_ms, sealed FROM templates WHERE tenant_id = @tenant AND pack_id = @pack";

    private const string TemplateOrder = "ORDER BY subject_id, created_ms, template_id";

    private static SealedTemplate ReadTemplate(DbDataReader reader) => new(
        new TemplateId(reader.GetString(0)), new TenantId(reader.GetString(1)), new SubjectId(reader.GetString(2)), new PackId(reader.GetString(3)),
        checked((int)reader.GetInt64(4)), StoredTime.From(reader, 5), (byte[])reader.GetValue(6));
}
