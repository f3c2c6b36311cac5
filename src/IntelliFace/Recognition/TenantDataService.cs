using System.Globalization;
using IntelliFace.Audit;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Recognition;

/// <summary>
/// The application layer for a tenant's data other than recognition: listing and erasing subjects and
/// exporting the tenant's audit trail, for one <paramref name="caller"/> (the local administrator when not
/// given). Needs no model pack. Each operation checks access and is audited, like <see cref="FaceRecognitionService"/>.
/// </summary>
public sealed class TenantDataService(TemplateVault vault, Caller? caller = null)
{
    private readonly AuditedAccess _gate = new(vault, caller ?? Caller.LocalAdministrator);

    public IReadOnlyList<SubjectSummary> ListSubjects(TenantId tenant)
    {
        _gate.Admit("subjects.list", tenant, null, Scopes.ManageSubjects);
        return vault.ListSubjects(tenant);
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
