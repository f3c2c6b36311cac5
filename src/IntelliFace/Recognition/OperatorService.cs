using IntelliFace.Audit;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Recognition;

/// <summary>What a read under a break-glass grant returned: one of <see cref="Subjects"/>, <see cref="AuditEntries"/>
/// or <see cref="Export"/>, as <see cref="Operation"/> says.</summary>
public sealed record BreakGlassRead(
    TenantId Tenant, string Operation, IReadOnlyList<SubjectSummary>? Subjects = null, IReadOnlyList<AuditEntry>? AuditEntries = null, SubjectExport? Export = null);

/// <summary>
/// The application layer for running the service: tenants, API keys and operators, for one
/// <paramref name="caller"/> (the local administrator when not given). Operators and the local administrator
/// may call it; tenant keys are refused (<c>forbidden</c>). Nothing here reads tenant data. Every change is audited.
/// </summary>
public sealed class OperatorService(TemplateVault vault, Caller? caller = null, BreakGlassPolicy? breakGlass = null)
{
    private readonly Caller _caller = caller ?? Caller.LocalAdministrator;
    private readonly BreakGlassPolicy _breakGlass = breakGlass ?? BreakGlassPolicy.Default;

    /// <exception cref="FaceException"><c>tenant_exists</c>.</exception>
    public TenantRecord CreateTenant(TenantId tenant, bool consentRequired = false, int? retentionDays = null)
    {
        Admit("tenant.create", tenant);
        RetentionPolicy.Validate(retentionDays);
        if (!vault.Tenants.Create(tenant, consentRequired, retentionDays, vault.Time.GetUtcNow()))
            throw Refused("tenant.create", tenant, new FaceException(FaceErrorCode.TenantExists, $"Tenant {tenant} already exists."));
        vault.EnsureTenant(tenant);
        Record("tenant.create", tenant, AuditRecord.Ok, ("consent_required", consentRequired ? "true" : "false"),
            ("retention_days", retentionDays?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"));
        return vault.Tenants.Find(tenant)!;
    }

    /// <summary>Sets whether enrollment needs a consent record, and the retention days (null keeps templates).</summary>
    /// <exception cref="FaceException"><c>unknown_tenant</c>.</exception>
    public TenantRecord SetTenantPolicy(TenantId tenant, bool consentRequired, int? retentionDays)
    {
        const string Action = "tenant.policy";
        Admit(Action, tenant);
        RetentionPolicy.Validate(retentionDays);
        if (!vault.Tenants.SetPolicy(tenant, consentRequired, retentionDays))
            throw Refused(Action, tenant, UnknownTenant(tenant));
        Record(Action, tenant, AuditRecord.Ok, ("consent_required", consentRequired ? "true" : "false"),
            ("retention_days", retentionDays?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"));
        return vault.Tenants.Find(tenant)!;
    }

    /// <summary>Applies every tenant's retention policy now (see <see cref="RetentionJob"/>).</summary>
    public IReadOnlyList<RetentionResult> RunRetention()
    {
        Access.DemandOperator(_caller);
        return new RetentionJob(vault).RunOnce();
    }

    public IReadOnlyList<TenantRecord> ListTenants()
    {
        Access.DemandOperator(_caller);
        return vault.Tenants.List();
    }

    /// <summary>Refuses every request for the tenant's data until <see cref="ResumeTenant"/>; keeps everything.</summary>
    public void SuspendTenant(TenantId tenant) => SetStatus("tenant.suspend", tenant, TenantStatus.Suspended);

    public void ResumeTenant(TenantId tenant) => SetStatus("tenant.resume", tenant, TenantStatus.Active);

    /// <summary>
    /// Deletes the tenant: marks it as being deleted (its requests stop), crypto-shreds all its keys (from then
    /// on none of its templates can be opened, backups included), then purges its rows. Repeat after a crash to
    /// finish. The audit log keeps its entries: they are the record that the deletion happened.
    /// </summary>
    /// <exception cref="FaceException"><c>unknown_tenant</c>.</exception>
    public void DeleteTenant(TenantId tenant)
    {
        const string Action = "tenant.delete";
        Admit(Action, tenant);
        if (!vault.Tenants.SetStatus(tenant, TenantStatus.Deleting))
            throw Refused(Action, tenant, UnknownTenant(tenant));
        vault.Keys.DeleteTenantKeys(tenant);
        vault.ForgetTenantKeys(tenant);
        vault.Tenants.Purge(tenant);
        Record(Action, tenant, AuditRecord.Ok);
    }

    /// <summary>A new API key for <paramref name="tenant"/> with <paramref name="scopes"/>. The caller shows
    /// <see cref="ApiKeyToken.Reveal"/> to its holder once and disposes the token; only its hash is kept.</summary>
    /// <exception cref="FaceException"><c>unknown_tenant</c>; <c>invalid_argument</c> for no scopes.</exception>
    public ApiKeyToken CreateApiKey(TenantId tenant, Scopes scopes)
    {
        const string Action = "apikey.create";
        Admit(Action, tenant);
        if (scopes == Scopes.None) throw new FaceException(FaceErrorCode.InvalidArgument, "An API key needs at least one scope.");
        if (vault.Tenants.Find(tenant) is not { Status: not TenantStatus.Deleting })
            throw Refused(Action, tenant, UnknownTenant(tenant));
        var token = ApiKeyToken.Generate();
        vault.Credentials.Add(token, CallerRole.Tenant, tenant, null, scopes, vault.Time.GetUtcNow());
        Record(Action, tenant, AuditRecord.Ok, ("key", token.KeyId), ("scopes", ScopeNames.Format(scopes)));
        return token;
    }

    public IReadOnlyList<ApiKeyInfo> ListApiKeys(TenantId tenant)
    {
        Access.DemandOperator(_caller);
        return vault.Credentials.List(tenant);
    }

    /// <exception cref="FaceException"><c>unknown_credential</c> when there is no such unrevoked key.</exception>
    public void RevokeApiKey(string keyId)
    {
        Access.DemandOperator(_caller);
        var found = vault.Credentials.Find(keyId);
        if (found is null || !vault.Credentials.Revoke(keyId, vault.Time.GetUtcNow()))
            throw new FaceException(FaceErrorCode.UnknownCredential, $"There is no active API key {keyId}.");
        Record("apikey.revoke", found.Value.Info.Tenant, AuditRecord.Ok, ("key", keyId));
    }

    /// <summary>Adds an operator and returns its key (shown once). Only the local administrator adds operators,
    /// so no operator can create a second identity to approve their own break-glass request.</summary>
    public ApiKeyToken AddOperator(OperatorName name)
    {
        if (_caller.Role != CallerRole.LocalAdministrator)
            throw new FaceException(FaceErrorCode.Forbidden, "Only the local administrator adds operators.");
        var token = ApiKeyToken.Generate();
        vault.Credentials.Add(token, CallerRole.Operator, null, name.Value, Scopes.None, vault.Time.GetUtcNow());
        Record("operator.add", null, AuditRecord.Ok, ("key", token.KeyId), ("operator", name.Value));
        return token;
    }

    public IReadOnlyList<ApiKeyInfo> ListOperators()
    {
        Access.DemandOperator(_caller);
        return vault.Credentials.List(tenant: null);
    }

    /// <summary>Rotates the tenant's data key (re-wraps its subject keys), or finishes a rotation cut short.</summary>
    /// <exception cref="FaceException"><c>unknown_tenant</c>.</exception>
    public RotationResult RotateTenantKey(TenantId tenant, int batchSize = KeyRotation.DefaultBatchSize)
    {
        const string Action = "key.rotate_tenant";
        Admit(Action, tenant);
        RotationResult result;
        try
        {
            result = new KeyRotation(vault).RotateTenantKey(tenant, batchSize);
        }
        catch (FaceException e)
        {
            throw Refused(Action, tenant, e);
        }
        Record(Action, tenant, AuditRecord.Ok, Details(result));
        return result;
    }

    /// <summary>Re-wraps every key the master key wraps under the key the vault was opened to rotate to
    /// (<see cref="TemplateVault.OpenForMasterRotation"/>), or finishes a rotation cut short.</summary>
    public RotationResult RotateMasterKey(int batchSize = KeyRotation.DefaultBatchSize)
    {
        const string Action = "key.rotate_master";
        Admit(Action, null);
        var result = new KeyRotation(vault).RotateMasterKey(batchSize);
        Record(Action, null, AuditRecord.Ok, Details(result));
        return result;
    }

    /// <summary>
    /// Requests read access to one tenant for <paramref name="minutes"/> (at most the policy's limit) and only
    /// for <paramref name="operations"/>. Only a named operator may ask; another operator must approve.
    /// </summary>
    /// <exception cref="FaceException"><c>forbidden</c> for any caller but an operator; <c>unknown_tenant</c>;
    /// <c>invalid_argument</c> for a missing reason or ticket, an operation that is not a read, or too many minutes.</exception>
    public BreakGlassGrant RequestBreakGlass(TenantId tenant, string reason, string ticket, IReadOnlyList<string> operations, int minutes)
    {
        const string Action = "breakglass.request";
        var requester = NamedOperator(Action, tenant);
        if (string.IsNullOrWhiteSpace(reason) || string.IsNullOrWhiteSpace(ticket))
            throw Refused(Action, tenant, new FaceException(FaceErrorCode.InvalidArgument, "A break-glass request needs a reason and a ticket reference."));
        if (operations.Count == 0 || operations.Any(op => !BreakGlassPolicy.ReadOperations.Contains(op)))
        {
            throw Refused(Action, tenant, new FaceException(FaceErrorCode.InvalidArgument,
                $"A break-glass grant names read operations only: {string.Join(", ", BreakGlassPolicy.ReadOperations)}."));
        }
        if (minutes < 1 || minutes > _breakGlass.MaxMinutes)
            throw Refused(Action, tenant, new FaceException(FaceErrorCode.InvalidArgument, $"A break-glass grant lasts 1-{_breakGlass.MaxMinutes} minutes."));
        if (vault.Tenants.Find(tenant) is not { Status: not TenantStatus.Deleting })
            throw Refused(Action, tenant, UnknownTenant(tenant));
        var grant = vault.Grants.Add(tenant, requester, reason.Trim(), ticket.Trim(), operations.Distinct().ToArray(), minutes, vault.Time.GetUtcNow());
        Record(Action, tenant, AuditRecord.Ok, ("grant", grant.Id), ("ticket", grant.Ticket), ("operations", string.Join(",", grant.Operations)),
            ("minutes", minutes.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("reason", grant.Reason));
        return grant;
    }

    /// <summary>Approves another operator's pending request; the grant runs from now for its minutes.</summary>
    /// <exception cref="FaceException"><c>self_approval</c>; <c>unknown_grant</c>; <c>invalid_argument</c> when it is
    /// no longer pending; <c>forbidden</c> for any caller but an operator.</exception>
    public BreakGlassGrant ApproveBreakGlass(string grantId)
    {
        const string Action = "breakglass.approve";
        var grant = vault.Grants.Find(grantId);
        var approver = NamedOperator(Action, grant?.Tenant);
        if (grant is null) throw Refused(Action, null, new FaceException(FaceErrorCode.UnknownGrant, $"There is no break-glass grant {grantId}."));
        if (grant.RequestedBy == approver)
            throw Refused(Action, grant.Tenant, new FaceException(FaceErrorCode.SelfApproval, $"Operator {approver} requested grant {grant.Id} and cannot approve it; another operator must."));
        var now = vault.Time.GetUtcNow();
        if (!vault.Grants.Approve(grant.Id, approver, now, now.AddMinutes(grant.Minutes)))
            throw Refused(Action, grant.Tenant, new FaceException(FaceErrorCode.InvalidArgument, $"Break-glass grant {grant.Id} is no longer pending (approved or revoked)."));
        Record(Action, grant.Tenant, AuditRecord.Ok, ("grant", grant.Id), ("requested_by", grant.RequestedBy.Value));
        return vault.Grants.Find(grant.Id)!;
    }

    /// <summary>Ends a grant at once, pending or approved; returns it as it now stands.</summary>
    public BreakGlassGrant RevokeBreakGlass(string grantId)
    {
        const string Action = "breakglass.revoke";
        var grant = vault.Grants.Find(grantId);
        Admit(Action, grant?.Tenant);
        if (grant is null || !vault.Grants.Revoke(grant.Id, vault.Time.GetUtcNow()))
            throw Refused(Action, grant?.Tenant, new FaceException(FaceErrorCode.UnknownGrant, $"There is no active break-glass grant {grantId}."));
        Record(Action, grant.Tenant, AuditRecord.Ok, ("grant", grant.Id));
        return vault.Grants.Find(grant.Id)!;
    }

    public IReadOnlyList<BreakGlassGrant> ListBreakGlass(TenantId? tenant)
    {
        Access.DemandOperator(_caller);
        return vault.Grants.List(tenant);
    }

    /// <summary>
    /// Runs one read operation of <see cref="BreakGlassPolicy.ReadOperations"/> on <paramref name="tenant"/>'s data under
    /// the approved grant <paramref name="grantId"/>; the access is audited and names the grant.
    /// </summary>
    /// <exception cref="FaceException"><c>forbidden</c> for any caller but an operator, or an operation the grant does not
    /// name; <c>grant_not_approved</c>; <c>grant_expired</c>; <c>unknown_grant</c>; <c>invalid_argument</c> for an unknown
    /// operation or <c>subject.export</c> without a subject.</exception>
    public BreakGlassRead UseBreakGlass(string grantId, TenantId tenant, string operation, SubjectId? subject)
    {
        var data = new TenantDataService(vault, _caller.UnderGrant(grantId));
        return operation switch
        {
            "subjects.list" => new BreakGlassRead(tenant, operation, Subjects: data.ListSubjects(tenant)),
            "audit.export" => new BreakGlassRead(tenant, operation, AuditEntries: data.ExportAudit(tenant)),
            "subject.export" => new BreakGlassRead(tenant, operation, Export: data.ExportSubject(tenant,
                subject ?? throw new FaceException(FaceErrorCode.InvalidArgument, "subject.export needs a subject."))),
            _ => throw new FaceException(FaceErrorCode.InvalidArgument, $"A break-glass read is one of: {string.Join(", ", BreakGlassPolicy.ReadOperations)}."),
        };
    }

    /// <summary>Checks the whole audit chain (see <see cref="AuditLog.Verify"/>).</summary>
    public AuditVerification VerifyAudit()
    {
        Access.DemandOperator(_caller);
        return vault.Audit.Verify();
    }

    private void SetStatus(string action, TenantId tenant, TenantStatus status)
    {
        Admit(action, tenant);
        if (vault.Tenants.Find(tenant) is not { Status: not TenantStatus.Deleting } || !vault.Tenants.SetStatus(tenant, status))
            throw Refused(action, tenant, UnknownTenant(tenant));
        Record(action, tenant, AuditRecord.Ok);
    }

    private OperatorName NamedOperator(string action, TenantId? tenant)
    {
        if (_caller is { Role: CallerRole.Operator, OperatorName: { } name }) return new OperatorName(name);
        throw Refused(action, tenant, new FaceException(FaceErrorCode.Forbidden, "Break-glass grants are requested and approved by named operators (with an operator key)."));
    }

    private void Admit(string action, TenantId? tenant)
    {
        try
        {
            Access.DemandOperator(_caller);
        }
        catch (FaceException e)
        {
            throw Refused(action, tenant, e);
        }
    }

    private FaceException Refused(string action, TenantId? tenant, FaceException e)
    {
        Record(action, tenant, e.Code);
        return e;
    }

    private void Record(string action, TenantId? tenant, string outcome, params (string Name, string Value)[] details) =>
        vault.Audit.Append(AuditRecord.Of(_caller.Actor, action, tenant, null, outcome, details));

    private static (string, string)[] Details(RotationResult result) =>
    [
        ("from", result.FromVersion), ("to", result.ToVersion),
        ("rewrapped", result.Rewrapped.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("resumed", result.Resumed ? "true" : "false"),
    ];

    private static FaceException UnknownTenant(TenantId tenant) => new(FaceErrorCode.UnknownTenant, $"There is no tenant {tenant}.");
}
