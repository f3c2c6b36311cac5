using System.Globalization;
using IntelliFace.Audit;
using IntelliFace.Embedding;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Recognition;

/// <summary>A tenant's progress towards <paramref name="Target"/> (subjects in id order).</summary>
/// <param name="Ready">Subjects with at least one template of the target pack.</param>
/// <param name="NeedNewPhoto">Subjects with no template of the target pack: they need a new photo enrolled with it.</param>
/// <param name="OtherPacks">The other packs the tenant's templates were made with.</param>
public sealed record MigrationReport(TenantId Tenant, PackId Target, IReadOnlyList<SubjectId> Ready, IReadOnlyList<SubjectId> NeedNewPhoto, IReadOnlyList<PackId> OtherPacks)
{
    public bool IsComplete => NeedNewPhoto.Count == 0;
}

/// <summary>
/// The application layer for a tenant's data other than recognition: listing and erasing subjects,
/// reporting a move to another model pack, and exporting the tenant's audit trail, for one
/// <paramref name="caller"/> (the local administrator when not given). Needs no model pack. Each
/// operation checks access and is audited, like <see cref="FaceRecognitionService"/>.
/// </summary>
public sealed class TenantDataService(TemplateVault vault, Caller? caller = null)
{
    private readonly AuditedAccess _gate = new(vault, caller ?? Caller.LocalAdministrator);

    public IReadOnlyList<SubjectSummary> ListSubjects(TenantId tenant)
    {
        const string Action = "subjects.list";
        _gate.Admit(Action, tenant, null, Scopes.ManageSubjects);
        var subjects = vault.ListSubjects(tenant);
        _gate.Record(Action, tenant, null, AuditRecord.Ok, ("subjects", subjects.Count.ToString(CultureInfo.InvariantCulture)));
        return subjects;
    }

    /// <summary>Erases the subject: destroys its key, then its templates and rows.</summary>
    /// <exception cref="FaceException"><c>unknown_subject</c> when the tenant has no such subject.</exception>
    public void EraseSubject(TenantId tenant, SubjectId subject)
    {
        const string Action = "subject.erase";
        _gate.Admit(Action, tenant, subject, Scopes.ManageSubjects);
        if (!vault.DeleteSubject(tenant, subject))
        {
            _gate.Record(Action, tenant, subject, FaceErrorCode.UnknownSubject);
            throw new FaceException(FaceErrorCode.UnknownSubject, $"The tenant has no subject '{subject}'.");
        }
        _gate.Record(Action, tenant, subject, AuditRecord.Ok);
    }

    /// <summary>
    /// Where the tenant stands in a move to the model pack <paramref name="target"/>: which subjects
    /// already have a template of that pack and which still need a new photo. Photos are never kept,
    /// so templates cannot be recomputed: each subject is re-enrolled from a new photo with the target
    /// pack, and until then is only recognised with the pack that made its templates.
    /// </summary>
    public MigrationReport MigrationTo(TenantId tenant, PackId target)
    {
        const string Action = "migration.report";
        _gate.Admit(Action, tenant, null, Scopes.ManageSubjects);
        var ready = new List<SubjectId>();
        var needNewPhoto = new List<SubjectId>();
        var otherPacks = new SortedSet<string>(StringComparer.Ordinal);
        SubjectId? after = null;
        while (true)
        {
            var page = vault.ListSubjects(tenant, after, PageSize);
            foreach (var subject in page)
            {
                (subject.Packs.Contains(target) ? ready : needNewPhoto).Add(subject.Subject);
                otherPacks.UnionWith(subject.Packs.Where(p => p != target).Select(p => p.Value));
            }

            if (page.Count < PageSize) break;
            after = page[^1].Subject;
        }

        _gate.Record(Action, tenant, null, AuditRecord.Ok, ("pack", target.Value), ("need_new_photo", needNewPhoto.Count.ToString(CultureInfo.InvariantCulture)));
        return new MigrationReport(tenant, target, ready, needNewPhoto, otherPacks.Select(p => new PackId(p)).ToArray());
    }

    private const int PageSize = 1000;

    /// <summary>The tenant's own audit trail, in order (entries after <paramref name="afterSequence"/>).</summary>
    public IReadOnlyList<AuditEntry> ExportAudit(TenantId tenant, long afterSequence = 0)
    {
        const string Action = "audit.export";
        _gate.Admit(Action, tenant, null, Scopes.ReadAudit);
        var entries = vault.Audit.Entries(tenant, afterSequence);
        _gate.Record(Action, tenant, null, AuditRecord.Ok, ("entries", entries.Count.ToString(CultureInfo.InvariantCulture)));
        return entries;
    }
}
