using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Tests.Vault;

namespace IntelliFace.Tests.Tenancy;

public sealed class ApiKeyTokenTests
{
    [Fact]
    public void A_revealed_key_parses_back_to_the_same_id_and_secret_and_prints_only_its_id()
    {
        using var token = ApiKeyToken.Generate();
        var text = token.Reveal();

        using var parsed = ApiKeyToken.Parse(text);

        Assert.Matches("^ifk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$", text);
        Assert.Equal(token.KeyId, parsed.KeyId);
        Assert.Equal(token.SecretHash(), parsed.SecretHash());
        Assert.Equal($"ApiKey({token.KeyId}, redacted)", parsed.ToString());
        Assert.DoesNotContain(text[17..], parsed.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("ifk_0123456789ab")]
    [InlineData("xyz_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ifk_0123456789AB_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ifk_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA*")]
    [InlineData("ifk_0123456789ab-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void A_malformed_key_is_unauthorized(string presented)
    {
        var error = Assert.Throws<FaceException>(() => ApiKeyToken.Parse(presented));

        Assert.Equal(FaceErrorCode.Unauthorized, error.Code);
        Assert.Equal("The API key is malformed: it is ifk_, 12 hex digits, '_' and 43 base64url characters.", error.Message);
    }
}

public sealed class TenancyTests
{
    private static readonly TenantId Acme = new("acme");
    private static readonly TenantId Globex = new("globex");
    private static readonly SubjectId Alice = new("alice");

    public static TheoryData<string> Backends => VaultBackend.Names;

    [Theory, MemberData(nameof(Backends))]
    public void An_api_key_authenticates_as_its_tenant_with_its_scopes_and_only_its_hash_is_stored(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using var vault = store.Open();
        var operators = new OperatorService(vault);
        operators.CreateTenant(Acme);
        using var token = operators.CreateApiKey(Acme, Scopes.Enroll | Scopes.Recognise);
        var text = token.Reveal();

        var caller = new ApiKeyAuthenticator(vault).Authenticate(text);

        Assert.Equal(CallerRole.Tenant, caller.Role);
        Assert.Equal(Acme, caller.Tenant);
        Assert.Equal(Scopes.Enroll | Scopes.Recognise, caller.Scopes);
        Assert.Equal($"apikey:{token.KeyId}", caller.Actor);
        Assert.Equal(token.SecretHash(), (byte[])store.VaultSql("SELECT secret_hash FROM credentials WHERE key_id = @id", ("@id", token.KeyId))!);
        Assert.Equal("enroll,recognise", store.VaultSql("SELECT scopes FROM credentials"));
        Assert.Equal(1L, store.VaultCount("SELECT COUNT(*) FROM credentials"));
    }

    [Theory, MemberData(nameof(Backends))]
    public void Unknown_wrong_revoked_and_deleted_keys_are_unauthorized_and_a_suspended_tenants_key_is_refused(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using var vault = store.Open();
        var operators = new OperatorService(vault);
        operators.CreateTenant(Acme);
        operators.CreateTenant(Globex);
        using var acmeKey = operators.CreateApiKey(Acme, Scopes.All);
        using var revokedKey = operators.CreateApiKey(Acme, Scopes.All);
        using var globexKey = operators.CreateApiKey(Globex, Scopes.All);
        operators.RevokeApiKey(revokedKey.KeyId);
        var authenticator = new ApiKeyAuthenticator(vault);
        var wrongSecret = acmeKey.Reveal()[..^4] + (acmeKey.Reveal().EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        using var unknown = ApiKeyToken.Generate();

        foreach (var presented in new[] { wrongSecret, unknown.Reveal(), revokedKey.Reveal() })
        {
            var error = Assert.Throws<FaceException>(() => authenticator.Authenticate(presented));
            Assert.Equal((FaceErrorCode.Unauthorized, "The API key is unknown or revoked."), (error.Code, error.Message));
        }
        Assert.Equal(FaceErrorCode.Unauthorized, Assert.Throws<FaceException>(() => authenticator.Authenticate(null)).Code);

        operators.SuspendTenant(Acme);
        var suspended = Assert.Throws<FaceException>(() => authenticator.Authenticate(acmeKey.Reveal()));
        Assert.Equal((FaceErrorCode.TenantSuspended, "Tenant acme is suspended."), (suspended.Code, suspended.Message));
        operators.ResumeTenant(Acme);
        Assert.Equal(Acme, authenticator.Authenticate(acmeKey.Reveal()).Tenant);

        operators.DeleteTenant(Globex);
        Assert.Equal(FaceErrorCode.Unauthorized, Assert.Throws<FaceException>(() => authenticator.Authenticate(globexKey.Reveal())).Code);
    }

    [Theory, MemberData(nameof(Backends))]
    public void Scopes_tenants_and_roles_bound_what_a_caller_may_do(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using var vault = store.Open();
        var admin = new OperatorService(vault);
        admin.CreateTenant(Acme);
        admin.CreateTenant(Globex);
        vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(TestEmbeddings.PackA, 1));
        using var recogniseOnly = admin.CreateApiKey(Acme, Scopes.Recognise);
        using var manager = admin.CreateApiKey(Acme, Scopes.ManageSubjects);
        using var operatorKey = admin.AddOperator(new OperatorName("ada"));
        var authenticator = new ApiKeyAuthenticator(vault);
        var recogniser = authenticator.Authenticate(recogniseOnly.Reveal());
        var subjectManager = authenticator.Authenticate(manager.Reveal());
        var ada = authenticator.Authenticate(operatorKey.Reveal());

        Assert.Equal([Alice], new TenantDataService(vault, subjectManager).ListSubjects(Acme).Select(s => s.Subject));
        Refusals.AssertAll(
            (() => new TenantDataService(vault, recogniser).ListSubjects(Acme), FaceErrorCode.Forbidden, "This API key lacks the scope 'manage_subjects'."),
            (() => new TenantDataService(vault, subjectManager).ExportAudit(Acme), FaceErrorCode.Forbidden, "This API key lacks the scope 'read_audit'."),
            (() => new TenantDataService(vault, subjectManager).ListSubjects(Globex), FaceErrorCode.Forbidden, "This API key belongs to another tenant than 'globex'."),
            (() => new TenantDataService(vault, subjectManager).EraseSubject(Globex, Alice), FaceErrorCode.Forbidden, "This API key belongs to another tenant than 'globex'."),
            (() => new TenantDataService(vault, ada).ListSubjects(Acme), FaceErrorCode.Forbidden, "Operators have no access to tenant data without an approved break-glass grant."),
            (() => new OperatorService(vault, subjectManager).ListTenants(), FaceErrorCode.Forbidden, "Only operators manage tenants, keys and grants; a tenant API key cannot."),
            (() => new OperatorService(vault, subjectManager).CreateApiKey(Acme, Scopes.All), FaceErrorCode.Forbidden, "Only operators manage tenants, keys and grants; a tenant API key cannot."),
            (() => new OperatorService(vault, ada).AddOperator(new OperatorName("eve")), FaceErrorCode.Forbidden, "Only the local administrator adds operators."));
        Assert.Equal([Acme, Globex], new OperatorService(vault, ada).ListTenants().Select(t => t.Id));
        Assert.Single(vault.ListSubjects(Acme));
    }

    [Theory, MemberData(nameof(Backends))]
    public void Deleting_a_tenant_shreds_its_keys_purges_its_rows_and_caches_and_leaves_others_alone(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using var vault = store.Open();
        var admin = new OperatorService(vault);
        admin.CreateTenant(Acme);
        admin.CreateTenant(Globex);
        vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(TestEmbeddings.PackA, 1));
        vault.AddTemplate(Globex, Alice, TestEmbeddings.Make(TestEmbeddings.PackA, 2));
        using var key = admin.CreateApiKey(Acme, Scopes.All);
        Assert.Single(vault.LoadTemplates(Acme, TestEmbeddings.PackA));
        Assert.Equal(1, vault.CachedKeyCount(Acme));

        admin.DeleteTenant(Acme);

        foreach (var table in new[] { "tenants", "subjects", "templates", "credentials" })
            Assert.Equal(0L, store.VaultCount($"SELECT COUNT(*) FROM {table} WHERE tenant_id = 'acme'"));
        foreach (var table in new[] { "tenant_keys", "subject_keys" })
            Assert.Equal(0L, store.KeyCount($"SELECT COUNT(*) FROM {table} WHERE tenant_id = 'acme'"));
        Assert.Equal(0, vault.CachedKeyCount(Acme));
        Assert.Empty(vault.LoadTemplates(Acme, TestEmbeddings.PackA));
        Assert.Single(vault.LoadTemplates(Globex, TestEmbeddings.PackA));
        Assert.Equal(["tenant.create", "apikey.create", "tenant.delete"], vault.Audit.Entries(Acme).Select(e => e.Record.Action));
        var again = Assert.Throws<FaceException>(() => admin.DeleteTenant(Acme));
        Assert.Equal((FaceErrorCode.UnknownTenant, "There is no tenant acme."), (again.Code, again.Message));
        var exists = Assert.Throws<FaceException>(() => admin.CreateTenant(Globex));
        Assert.Equal((FaceErrorCode.TenantExists, "Tenant globex already exists."), (exists.Code, exists.Message));
    }

    [Theory, MemberData(nameof(Backends))]
    public void A_suspended_tenants_data_is_refused_to_everyone_until_resumed(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using var vault = store.Open();
        var admin = new OperatorService(vault);
        admin.CreateTenant(Acme);
        vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(TestEmbeddings.PackA, 1));

        admin.SuspendTenant(Acme);
        var error = Assert.Throws<FaceException>(() => new TenantDataService(vault).ListSubjects(Acme));
        admin.ResumeTenant(Acme);

        Assert.Equal((FaceErrorCode.TenantSuspended, "Tenant acme is suspended."), (error.Code, error.Message));
        Assert.Single(new TenantDataService(vault).ListSubjects(Acme));
        Assert.Equal(["tenant.create", "tenant.suspend", "subjects.list", "tenant.resume", "subjects.list"], vault.Audit.Entries(Acme).Select(e => e.Record.Action));
        Assert.Equal("tenant_suspended", vault.Audit.Entries(Acme)[2].Record.Outcome);
    }
}
