using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Tests.Vault;
using IntelliFace.Vault;

namespace IntelliFace.Tests.Tenancy;

public sealed class BreakGlassTests : IDisposable
{
    private static readonly TenantId Acme = new("acme");
    private static readonly TenantId Globex = new("globex");
    private static readonly string[] ListOnly = ["subjects.list"];

    private readonly VaultBackend _store;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly TemplateVault _vault;
    private readonly Caller _ada;
    private readonly Caller _bob;

    public BreakGlassTests()
    {
        _store = VaultBackend.Create(VaultBackend.Sqlite);
        _vault = _store.Open(_clock);
        var admin = new OperatorService(_vault);
        admin.CreateTenant(Acme);
        admin.CreateTenant(Globex);
        _vault.AddTemplate(Acme, new SubjectId("alice"), TestEmbeddings.Make(TestEmbeddings.PackA, 1));
        using var adaKey = admin.AddOperator(new OperatorName("ada"));
        using var bobKey = admin.AddOperator(new OperatorName("bob"));
        var authenticator = new ApiKeyAuthenticator(_vault);
        _ada = authenticator.Authenticate(adaKey.Reveal());
        _bob = authenticator.Authenticate(bobKey.Reveal());
    }

    public void Dispose()
    {
        _vault.Dispose();
        _store.Dispose();
    }

    [Fact]
    public void An_approved_grant_works_for_its_named_reads_then_expires_and_every_step_shows_in_the_tenants_trail()
    {
        var grant = Operator(_ada).RequestBreakGlass(Acme, "customer cannot see subjects", "INC-42", ["subjects.list", "audit.export"], minutes: 30);
        var underGrant = new TenantDataService(_vault, _ada.UnderGrant(grant.Id));

        Assert.Equal(FaceErrorCode.GrantNotApproved, Assert.Throws<FaceException>(() => underGrant.ListSubjects(Acme)).Code);
        var approved = Operator(_bob).ApproveBreakGlass(grant.Id);
        Assert.Equal(_clock.GetUtcNow().AddMinutes(30), approved.ExpiresUtc);
        _clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(["alice"], underGrant.ListSubjects(Acme).Select(s => s.Subject.Value));
        _clock.Advance(TimeSpan.FromMinutes(1));
        var expired = Assert.Throws<FaceException>(() => underGrant.ListSubjects(Acme));

        Assert.Equal((FaceErrorCode.GrantExpired, $"Break-glass grant {grant.Id} expired at 2026-03-01T09:30:00Z."), (expired.Code, expired.Message));
        var trail = new TenantDataService(_vault).ExportAudit(Acme)
            .Where(e => e.Record.Action != "tenant.create")
            .Select(e => $"{e.Record.Actor} {e.Record.Action} {e.Record.Outcome} {e.Record.Details.GetValueOrDefault("grant") ?? e.Record.Details.GetValueOrDefault("breakglass_grant")}");
        Assert.Equal(
            [
                $"operator:ada breakglass.request ok {grant.Id}",
                $"operator:ada subjects.list grant_not_approved {grant.Id}",
                $"operator:bob breakglass.approve ok {grant.Id}",
                $"operator:ada subjects.list ok {grant.Id}",
                $"operator:ada subjects.list grant_expired {grant.Id}",
            ],
            trail);
    }

    [Fact]
    public void Self_approval_is_refused()
    {
        var grant = Operator(_ada).RequestBreakGlass(Acme, "reason", "INC-1", ListOnly, minutes: 10);

        var error = Assert.Throws<FaceException>(() => Operator(_ada).ApproveBreakGlass(grant.Id));

        Assert.Equal((FaceErrorCode.SelfApproval, $"Operator ada requested grant {grant.Id} and cannot approve it; another operator must."), (error.Code, error.Message));
        Assert.Null(_vault.Grants.Find(grant.Id)!.ApprovedUtc);
    }

    [Fact]
    public void Operations_the_grant_does_not_name_other_tenants_other_operators_and_revoked_grants_are_refused()
    {
        var grant = Operator(_ada).RequestBreakGlass(Acme, "reason", "INC-2", ListOnly, minutes: 60);
        Operator(_bob).ApproveBreakGlass(grant.Id);
        var ada = new TenantDataService(_vault, _ada.UnderGrant(grant.Id));

        Refusals.AssertAll(
            (() => ada.ExportAudit(Acme), FaceErrorCode.Forbidden, $"Break-glass grant {grant.Id} does not allow audit.export; it allows subjects.list."),
            (() => ada.EraseSubject(Acme, new SubjectId("alice")), FaceErrorCode.Forbidden, $"Break-glass grant {grant.Id} does not allow subject.erase; it allows subjects.list."),
            (() => ada.ListSubjects(Globex), FaceErrorCode.Forbidden, $"Break-glass grant {grant.Id} is for tenant acme, not globex."),
            (() => new TenantDataService(_vault, _bob.UnderGrant(grant.Id)).ListSubjects(Acme), FaceErrorCode.Forbidden, $"Break-glass grant {grant.Id} was issued to another operator."),
            (() => new TenantDataService(_vault, _ada).ListSubjects(Acme), FaceErrorCode.Forbidden, "Operators have no access to tenant data without an approved break-glass grant."),
            (() => new TenantDataService(_vault, _ada.UnderGrant("0000000000000000")).ListSubjects(Acme), FaceErrorCode.UnknownGrant, "There is no break-glass grant 0000000000000000."));
        Assert.Single(ada.ListSubjects(Acme));

        Operator(_bob).RevokeBreakGlass(grant.Id);
        var revoked = Assert.Throws<FaceException>(() => ada.ListSubjects(Acme));
        Assert.Equal((FaceErrorCode.GrantExpired, $"Break-glass grant {grant.Id} was revoked."), (revoked.Code, revoked.Message));
        Assert.Single(_vault.ListSubjects(Acme));
    }

    [Fact]
    public void Requests_are_bounded_to_read_operations_named_operators_and_the_minutes_the_policy_allows()
    {
        var strict = new OperatorService(_vault, _ada, new BreakGlassPolicy(15));
        Refusals.AssertAll(
            (() => strict.RequestBreakGlass(Acme, "reason", "INC-3", ListOnly, minutes: 16), FaceErrorCode.InvalidArgument, "A break-glass grant lasts 1-15 minutes."),
            (() => Operator(_ada).RequestBreakGlass(Acme, "reason", "INC-3", ListOnly, minutes: 61), FaceErrorCode.InvalidArgument, "A break-glass grant lasts 1-60 minutes."),
            (() => Operator(_ada).RequestBreakGlass(Acme, "reason", "INC-3", ["subject.erase"], minutes: 5), FaceErrorCode.InvalidArgument,
                "A break-glass grant names read operations only: subjects.list, subject.export, audit.export."),
            (() => Operator(_ada).RequestBreakGlass(Acme, " ", "INC-3", ListOnly, minutes: 5), FaceErrorCode.InvalidArgument, "A break-glass request needs a reason and a ticket reference."),
            (() => new OperatorService(_vault).RequestBreakGlass(Acme, "reason", "INC-3", ListOnly, minutes: 5), FaceErrorCode.Forbidden,
                "Break-glass grants are requested and approved by named operators (with an operator key)."));
        Assert.Equal(15, strict.RequestBreakGlass(Acme, "reason", "INC-3", ListOnly, minutes: 15).Minutes);
        Assert.Equal(FaceErrorCode.InvalidArgument, Assert.Throws<FaceException>(() => new BreakGlassPolicy(61)).Code);
    }

    private OperatorService Operator(Caller caller) => new(_vault, caller);
}
