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

/// <summary>What retiring the other packs of a move to <paramref name="Target"/> erased.</summary>
/// <param name="Subjects">Subjects whose templates of other packs were erased (they keep their target-pack templates).</param>
/// <param name="TemplatesErased">How many templates of other packs were erased.</param>
/// <param name="NotYetMoved">Subjects left untouched because they have no template of the target pack yet.</param>
public sealed record MigrationRetirement(TenantId Tenant, PackId Target, IReadOnlyList<SubjectId> Subjects, int TemplatesErased, IReadOnlyList<SubjectId> NotYetMoved);

/// <summary>
/// The application layer for a tenant's data other than recognition: listing, erasing and exporting subjects,
/// consent records, reporting a move to another model pack, and the tenant's audit trail, for one
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

    /// <summary>One subject's summary.</summary>
    /// <exception cref="FaceException"><c>unknown_subject</c> when the tenant has no such subject.</exception>
    public SubjectSummary GetSubject(TenantId tenant, SubjectId subject)
    {
        const string Action = "subject.get";
        _gate.Admit(Action, tenant, subject, Scopes.ManageSubjects);
        var found = vault.Templates.FindSubject(tenant, subject);
        if (found is null)
        {
            _gate.Record(Action, tenant, subject, FaceErrorCode.UnknownSubject);
            throw UnknownSubject(subject);
        }
        _gate.Record(Action, tenant, subject, AuditRecord.Ok);
        return found;
    }

    /// <summary>The subject's templates: metadata only, never an embedding.</summary>
    /// <exception cref="FaceException"><c>unknown_subject</c> when the tenant has no such subject.</exception>
    public IReadOnlyList<TemplateInfo> ListTemplates(TenantId tenant, SubjectId subject)
    {
        const string Action = "templates.list";
        _gate.Admit(Action, tenant, subject, Scopes.ManageSubjects);
        var templates = TemplatesOf(tenant, subject);
        if (templates.Count == 0)
        {
            _gate.Record(Action, tenant, subject, FaceErrorCode.UnknownSubject);
            throw UnknownSubject(subject);
        }
        _gate.Record(Action, tenant, subject, AuditRecord.Ok, ("templates", templates.Count.ToString(CultureInfo.InvariantCulture)));
        return templates;
    }

    private IReadOnlyList<TemplateInfo> TemplatesOf(TenantId tenant, SubjectId subject) => vault.Templates.SubjectTemplates(tenant, subject)
        .Select(t => new TemplateInfo(t.Template.Id, t.Template.Pack, t.Template.KeyVersion, t.Template.CreatedUtc, t.LastUsedUtc)).ToArray();

    private static FaceException UnknownSubject(SubjectId subject) => new(FaceErrorCode.UnknownSubject, $"The tenant has no subject '{subject}'.");

    /// <summary>Erases the subject: destroys its key, then its templates and rows.</summary>
    /// <exception cref="FaceException"><c>unknown_subject</c> when the tenant has no such subject.</exception>
    public void EraseSubject(TenantId tenant, SubjectId subject)
    {
        const string Action = "subject.erase";
        _gate.Admit(Action, tenant, subject, Scopes.ManageSubjects);
        if (!vault.DeleteSubject(tenant, subject))
        {
            _gate.Record(Action, tenant, subject, FaceErrorCode.UnknownSubject);
            throw UnknownSubject(subject);
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

    /// <summary>
    /// Finishes a move to <paramref name="target"/> for the subjects that made it: erases their templates of every
    /// other pack, which no longer serve once the tenant recognises with the target pack, and which data minimisation
    /// says not to keep. Subjects without a target-pack template keep theirs, so they stay recognisable with the old
    /// pack until re-enrolled. Each subject touched gets an audit entry.
    /// </summary>
    public MigrationRetirement RetireOtherPacks(TenantId tenant, PackId target)
    {
        const string Action = "migration.retire";
        _gate.Admit(Action, tenant, null, Scopes.ManageSubjects);
        var report = MigrationTo(tenant, target);
        var retired = new List<SubjectId>();
        var erased = 0;
        foreach (var subject in report.Ready)
        {
            var old = vault.Templates.SubjectTemplates(tenant, subject).Select(t => t.Template).Where(t => t.Pack != target).ToList();
            if (old.Count == 0) continue;
            foreach (var template in old) vault.Templates.DeleteTemplate(tenant, subject, template.Id);
            erased += old.Count;
            retired.Add(subject);
            _gate.Record(Action, tenant, subject, AuditRecord.Ok, ("pack", target.Value), ("templates", old.Count.ToString(CultureInfo.InvariantCulture)));
        }
        _gate.Record(Action, tenant, null, AuditRecord.Ok, ("pack", target.Value), ("subjects", retired.Count.ToString(CultureInfo.InvariantCulture)),
            ("templates", erased.ToString(CultureInfo.InvariantCulture)));
        return new MigrationRetirement(tenant, target, retired, erased, report.NeedNewPhoto);
    }

    private const int PageSize = 1000;

    private const int MaxNoticeVersionLength = 100;

    /// <summary>Records (or replaces) the subject's consent. Required before enrollment when the tenant's policy says so.</summary>
    /// <exception cref="FaceException"><c>invalid_argument</c> for an unknown lawful basis or an empty notice version.</exception>
    public ConsentRecord RecordConsent(TenantId tenant, SubjectId subject, string lawfulBasis, string noticeVersion, DateTimeOffset? givenUtc = null)
    {
        const string Action = "consent.record";
        _gate.Admit(Action, tenant, subject, Scopes.ManageSubjects);
        if (string.IsNullOrWhiteSpace(noticeVersion)) throw new FaceException(FaceErrorCode.InvalidArgument, "A consent record names the version of the privacy notice shown.");
        if (noticeVersion.Trim().Length > MaxNoticeVersionLength || noticeVersion.Any(char.IsControl))
            throw new FaceException(FaceErrorCode.InvalidArgument,
                $"A notice version is a label such as 'v3' or '2026-11': at most {MaxNoticeVersionLength} characters, no control characters.");
        // Consent is recorded when it was given, never ahead of it; a few minutes allow for clocks that differ.
        if (givenUtc is { } given && (given > vault.Time.GetUtcNow().AddMinutes(5) || given.Year < 1970))
            throw new FaceException(FaceErrorCode.InvalidArgument, $"Consent given at {given:O} is in the future or before 1970.");
        var now = vault.Time.GetUtcNow();
        var consent = new ConsentRecord(tenant, subject, LawfulBasis.Validate(lawfulBasis), noticeVersion.Trim(), givenUtc ?? now, now);
        vault.Consents.Record(consent);
        _gate.Record(Action, tenant, subject, AuditRecord.Ok, ("lawful_basis", consent.LawfulBasis), ("notice_version", consent.NoticeVersion));
        return consent;
    }

    /// <summary>
    /// The subject's record: metadata, model packs, dates, consent and the audit entries about the subject. The
    /// templates themselves are included only for the tenant's own API key and only sealed for
    /// <paramref name="recipientPublicKeyPem"/> (an RSA public key the tenant holds the private half of).
    /// </summary>
    /// <exception cref="FaceException"><c>unknown_subject</c>; <c>forbidden</c> when templates are asked for by anyone
    /// but the tenant.</exception>
    public SubjectExport ExportSubject(TenantId tenant, SubjectId subject, string? recipientPublicKeyPem = null)
    {
        const string Action = "subject.export";
        _gate.Admit(Action, tenant, subject, Scopes.ManageSubjects);
        try
        {
            var created = vault.Templates.SubjectCreated(tenant, subject)
                ?? throw UnknownSubject(subject);
            if (recipientPublicKeyPem is not null && _gate.Caller.Role != CallerRole.Tenant)
                throw new FaceException(FaceErrorCode.Forbidden, "Templates are exported only to the tenant itself, with its own API key.");
            var templates = TemplatesOf(tenant, subject);
            var sealedTemplates = recipientPublicKeyPem is null
                ? null
                : SealedForRecipient.Seal(tenant, subject,
                    templates.Select(t => t.Pack).Distinct().SelectMany(pack => vault.LoadTemplates(tenant, subject, pack)).ToArray(), recipientPublicKeyPem);
            var export = new SubjectExport(tenant, subject, created, vault.Consents.Find(tenant, subject), templates, vault.Audit.Entries(tenant, subject), sealedTemplates);
            _gate.Record(Action, tenant, subject, AuditRecord.Ok, ("templates", sealedTemplates is null ? "metadata" : "sealed"));
            return export;
        }
        catch (FaceException e)
        {
            _gate.Record(Action, tenant, subject, e.Code);
            throw;
        }
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
