using IntelliFace.Audit;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Recognition;

/// <summary>The door every application operation on tenant data goes through: checks the caller's access
/// and writes the audit entry, so no operation can do one without the other.</summary>
internal sealed class AuditedAccess(TemplateVault vault, Caller caller)
{
    public Caller Caller => caller;

    /// <summary>Checks access; a refusal is audited and thrown.</summary>
    /// <exception cref="FaceException"><c>forbidden</c>; <c>tenant_suspended</c>; <c>unknown_tenant</c> while it is being deleted.</exception>
    public void Admit(string action, TenantId tenant, SubjectId? subject, Scopes scope)
    {
        try
        {
            if (caller is { Role: CallerRole.Operator, GrantId: { } grantId })
                BreakGlassRules.DemandUse(vault.Grants.Find(grantId), caller, tenant, action, vault.Time.GetUtcNow());
            else
                Access.DemandData(caller, tenant, scope);
            var record = vault.Tenants.Find(tenant);
            if (record?.Status == TenantStatus.Suspended)
                throw new FaceException(FaceErrorCode.TenantSuspended, $"Tenant {tenant} is suspended.");
            if (record?.Status == TenantStatus.Deleting)
                throw new FaceException(FaceErrorCode.UnknownTenant, $"Tenant {tenant} is being deleted.");
        }
        catch (FaceException e)
        {
            Record(action, tenant, subject, e.Code);
            throw;
        }
    }

    /// <summary>Appends the audit entry; an access under a break-glass grant names the grant.</summary>
    public void Record(string action, TenantId tenant, SubjectId? subject, string outcome, params (string Name, string Value)[] details) =>
        vault.Audit.Append(AuditRecord.Of(caller.Actor, action, tenant, subject, outcome,
            caller.GrantId is { } grant ? [.. details, ("breakglass_grant", grant)] : details));
}
