namespace IntelliFace.Tenancy;

/// <summary>What a tenant's API key allows. Stored by name (<see cref="ScopeNames"/>), so values may be renumbered but names never change.</summary>
[Flags]
public enum Scopes
{
    None = 0,
    /// <summary>Add templates (enroll).</summary>
    Enroll = 1,
    /// <summary>Verify and identify.</summary>
    Recognise = 2,
    /// <summary>List, erase and export subjects; record consent.</summary>
    ManageSubjects = 4,
    /// <summary>Export the tenant's audit trail.</summary>
    ReadAudit = 8,
    All = Enroll | Recognise | ManageSubjects | ReadAudit,
}

/// <summary>The stable names of <see cref="Scopes"/>, as typed on the command line and stored.</summary>
public static class ScopeNames
{
    private static readonly (Scopes Scope, string Name)[] Names =
    [
        (Scopes.Enroll, "enroll"), (Scopes.Recognise, "recognise"), (Scopes.ManageSubjects, "manage_subjects"), (Scopes.ReadAudit, "read_audit"),
    ];

    public static string Format(Scopes scopes) => string.Join(",", Names.Where(n => scopes.HasFlag(n.Scope)).Select(n => n.Name));

    /// <exception cref="FaceException"><c>invalid_argument</c> for an unknown name.</exception>
    public static Scopes Parse(string text)
    {
        var scopes = Scopes.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = Names.FirstOrDefault(n => n.Name == part);
            if (match.Name is null)
                throw new FaceException(FaceErrorCode.InvalidArgument, $"Unknown scope '{part}'; the scopes are {string.Join(", ", Names.Select(n => n.Name))}.");
            scopes |= match.Scope;
        }
        return scopes;
    }
}

/// <summary>Who is calling, as established by the host from a credential.</summary>
public enum CallerRole
{
    /// <summary>Whoever runs the program on the vault's host with its master key: the installation's owner,
    /// who could read everything with the key anyway. The CLI acts as this when no API key is given.</summary>
    LocalAdministrator,
    /// <summary>An application of one tenant, holding a tenant API key with scopes.</summary>
    Tenant,
    /// <summary>A person who runs the service: manages tenants, keys and grants; no access to tenant data
    /// except through an approved break-glass grant.</summary>
    Operator,
}

/// <summary>
/// The authenticated caller an operation runs for. <see cref="Actor"/> is how the audit log names it
/// (<c>local</c>, <c>apikey:ID</c>, <c>operator:NAME</c>); it never contains a secret.
/// </summary>
public sealed record Caller
{
    private Caller(CallerRole role, string actor, TenantId? tenant, Scopes scopes, string? operatorName, string? grantId = null)
    {
        GrantId = grantId;
        Role = role;
        Actor = actor;
        Tenant = tenant;
        Scopes = scopes;
        OperatorName = operatorName;
    }

    public CallerRole Role { get; }

    public string Actor { get; }

    /// <summary>The one tenant a <see cref="CallerRole.Tenant"/> caller belongs to.</summary>
    public TenantId? Tenant { get; }

    public Scopes Scopes { get; }

    /// <summary>The operator's name, for <see cref="CallerRole.Operator"/>.</summary>
    public string? OperatorName { get; }

    /// <summary>The break-glass grant an operator acts under, when any.</summary>
    public string? GrantId { get; }

    /// <summary>This operator, acting under break-glass grant <paramref name="grantId"/>.</summary>
    public Caller UnderGrant(string grantId) => Role == CallerRole.Operator
        ? new Caller(Role, Actor, null, Scopes.None, OperatorName, grantId)
        : throw new FaceException(FaceErrorCode.Forbidden, "Only operators use break-glass grants.");

    public static Caller LocalAdministrator { get; } = new(CallerRole.LocalAdministrator, "local", null, Scopes.All, null);

    public static Caller ForTenant(string keyId, TenantId tenant, Scopes scopes) => new(CallerRole.Tenant, $"apikey:{keyId}", tenant, scopes, null);

    public static Caller ForOperator(string name) => new(CallerRole.Operator, $"operator:{name}", null, Scopes.None, name);
}

/// <summary>The access rules, in one place: which caller may do what to which tenant.</summary>
internal static class Access
{
    /// <summary>Refuses unless <paramref name="caller"/> may use <paramref name="scope"/> on <paramref name="tenant"/>'s data.</summary>
    /// <exception cref="FaceException"><c>forbidden</c>.</exception>
    public static void DemandData(Caller caller, TenantId tenant, Scopes scope)
    {
        switch (caller.Role)
        {
            case CallerRole.LocalAdministrator:
                return;
            case CallerRole.Tenant when caller.Tenant != tenant:
                throw new FaceException(FaceErrorCode.Forbidden, $"This API key belongs to another tenant than '{tenant}'.");
            case CallerRole.Tenant when !caller.Scopes.HasFlag(scope):
                throw new FaceException(FaceErrorCode.Forbidden, $"This API key lacks the scope '{ScopeNames.Format(scope)}'.");
            case CallerRole.Tenant:
                return;
            default:
                throw new FaceException(FaceErrorCode.Forbidden, "Operators have no access to tenant data without an approved break-glass grant.");
        }
    }

    /// <summary>Refuses unless <paramref name="caller"/> may run the service (tenants, keys, grants).</summary>
    /// <exception cref="FaceException"><c>forbidden</c>.</exception>
    public static void DemandOperator(Caller caller)
    {
        if (caller.Role is CallerRole.LocalAdministrator or CallerRole.Operator) return;
        throw new FaceException(FaceErrorCode.Forbidden, "Only operators manage tenants, keys and grants; a tenant API key cannot.");
    }
}
