using System.Net;
using IntelliFace.Client;
using static IntelliFace.Tests.Server.ClientFixture;

namespace IntelliFace.Tests.Server;

/// <summary>Every operator endpoint through the typed operator client over loopback, as operators ada and bob.</summary>
public sealed class OperatorClientEndpointTests(ClientFixture fixture) : IClassFixture<ClientFixture>
{
    private static readonly string[] AllScopes = [ApiKeyScopes.Enroll, ApiKeyScopes.Recognise, ApiKeyScopes.ManageSubjects, ApiKeyScopes.ReadAudit];

    private IntelliFaceOperatorClient Ada => fixture.Ada;

    private IntelliFaceOperatorClient Bob => fixture.Bob;

    private ResponseRecorder Recorder => fixture.Recorder;

    [Fact]
    public async Task A_tenant_is_created_listed_given_a_policy_suspended_resumed_and_deleted()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var created = await Ada.CreateTenantAsync("initech", consentRequired: true, retentionDays: 30);
        Assert.Equal((HttpStatusCode.Created, "/ops/v1/tenants/initech"), (Recorder.Last.Status, Recorder.Last.Location?.OriginalString));
        Assert.Equal(created, Recorder.AssertMapsEveryMember<TenantInfo>());
        var key = await Ada.CreateApiKeyAsync("initech", AllScopes);
        var initech = fixture.Tenant(key.ApiKey);

        Assert.Equal(("initech", "active", true, (int?)30), (created.Tenant, created.Status, created.ConsentRequired, created.RetentionDays));
        Assert.InRange(created.CreatedUtc, before, DateTimeOffset.UtcNow);
        var tenants = await Ada.ListTenantsAsync();
        Assert.Contains(created, tenants);
        Assert.Contains(tenants, t => t.Tenant == "acme");

        Assert.Equal(new TenantPolicy("initech", false, null), await Ada.SetTenantPolicyAsync("initech", consentRequired: false, retentionDays: null));
        Assert.Equal(HttpStatusCode.OK, Recorder.Last.Status);

        await Ada.SuspendTenantAsync("initech");
        Assert.Equal((HttpStatusCode.OK, """{"suspended":"initech"}"""), (Recorder.Last.Status, Recorder.Last.Body));
        Assert.Equal("suspended", (await Ada.ListTenantsAsync()).Single(t => t.Tenant == "initech").Status);
        await Refusal(() => initech.ListSubjectsAsync(), HttpStatusCode.Forbidden, "tenant_suspended");

        await Bob.ResumeTenantAsync("initech");
        Assert.Equal((HttpStatusCode.OK, """{"resumed":"initech"}"""), (Recorder.Last.Status, Recorder.Last.Body));
        Assert.Equal(new TenantInfo("initech", "active", false, null, created.CreatedUtc), (await Ada.ListTenantsAsync()).Single(t => t.Tenant == "initech"));
        Assert.Empty((await initech.ListSubjectsAsync()).Subjects);

        await Ada.DeleteTenantAsync("initech");
        Assert.Equal((HttpStatusCode.NoContent, ""), (Recorder.Last.Status, Recorder.Last.Body));
        Assert.DoesNotContain(await Ada.ListTenantsAsync(), t => t.Tenant == "initech");
        await Refusal(() => initech.ListSubjectsAsync(), HttpStatusCode.Unauthorized, "unauthorized");
        await Refusal(() => Ada.SuspendTenantAsync("initech"), HttpStatusCode.NotFound, "unknown_tenant");
    }

    [Fact]
    public async Task An_api_key_is_created_with_its_secret_once_listed_without_it_and_revoked()
    {
        var created = await Ada.CreateApiKeyAsync("acme", [ApiKeyScopes.Enroll, ApiKeyScopes.Recognise]);
        Assert.Equal((HttpStatusCode.Created, "/ops/v1/tenants/acme/apikeys", "no-store"), (Recorder.Last.Status, Recorder.Last.Location?.OriginalString, Recorder.Last.CacheControl));
        Assert.Equal(created, Recorder.AssertMapsEveryMember<NewApiKey>());
        var client = fixture.Tenant(created.ApiKey);

        Assert.Equal(("acme", "enroll,recognise"), (created.Tenant, created.Scopes));
        Assert.Matches("^[0-9a-f]{12}$", created.KeyId);
        Assert.StartsWith($"ifk_{created.KeyId}_", created.ApiKey, StringComparison.Ordinal);
        Assert.DoesNotContain(created.ApiKey, created.ToString(), StringComparison.Ordinal);
        Assert.Contains(created.KeyId, created.ToString(), StringComparison.Ordinal);

        var listed = Assert.Single(await Ada.ListApiKeysAsync("acme"), k => k.KeyId == created.KeyId);
        Recorder.AssertMapsEveryMember<KeysOf>();
        Assert.DoesNotContain(created.ApiKey[^20..], Recorder.Last.Body, StringComparison.Ordinal);
        Assert.Equal(("acme", (string?)null, "enroll,recognise", (DateTimeOffset?)null), (listed.Tenant, listed.Operator, listed.Scopes, listed.RevokedUtc));
        await Refusal(() => client.ListSubjectsAsync(), HttpStatusCode.Forbidden, "forbidden");

        await Bob.RevokeApiKeyAsync(created.KeyId);
        Assert.Equal(HttpStatusCode.NoContent, Recorder.Last.Status);
        Assert.NotNull(Assert.Single(await Ada.ListApiKeysAsync("acme"), k => k.KeyId == created.KeyId).RevokedUtc);
        await Refusal(() => client.CompareAsync(Photo("img1.jpg"), Photo("img2.jpg")), HttpStatusCode.Unauthorized, "unauthorized");
        await Refusal(() => Bob.RevokeApiKeyAsync(created.KeyId), HttpStatusCode.NotFound, "unknown_credential");
    }

    [Fact]
    public async Task Rotating_a_tenant_key_rewraps_its_subject_keys_and_the_templates_still_match()
    {
        var tenant = await fixture.NewTenantAsync("rotated");
        await tenant.EnrollAsync("anna", Photo("img1.jpg"));

        var rotation = await Ada.RotateTenantKeyAsync("rotated");
        Assert.Equal(rotation, Recorder.AssertMapsEveryMember<KeyRotation>());

        Assert.Equal(new KeyRotation("rotated", "v1", "v2", 1, false), rotation);
        Assert.True((await tenant.VerifyAsync("anna", Photo("img2.jpg"))).Match);
        Assert.Equal(1, Assert.Single((await tenant.ListTemplatesAsync("anna")).Templates).KeyVersion);
        Assert.Equal(new KeyRotation("rotated", "v2", "v3", 1, false), await Bob.RotateTenantKeyAsync("rotated"));
    }

    [Fact]
    public async Task The_retention_run_keeps_templates_used_within_the_tenants_retention_days()
    {
        var tenant = await fixture.NewTenantAsync("retained", retentionDays: 30);
        await tenant.EnrollAsync("anna", Photo("img4.jpg"));

        var erased = await Ada.RunRetentionAsync();

        Assert.Equal((HttpStatusCode.OK, """{"erased":[]}"""), (Recorder.Last.Status, Recorder.Last.Body));
        Assert.Empty(erased);
        Assert.Equal(1, (await tenant.GetSubjectAsync("anna")).Templates);
    }

    [Fact]
    public async Task The_audit_chain_verifies_intact()
    {
        await Ada.ListTenantsAsync();

        var verification = await Bob.VerifyAuditAsync();

        Assert.Equal(verification, Recorder.AssertMapsEveryMember<AuditVerification>());
        Assert.True(verification.Intact);
        Assert.True(verification.Entries > 0);
        Assert.Equal((null, null), (verification.FirstBadEntry, verification.Problem));
    }

    [Fact]
    public async Task Break_glass_is_requested_by_ada_approved_by_bob_used_by_ada_and_revoked()
    {
        await fixture.Acme.EnrollAsync("glass-anna", Photo("img10.jpg"));
        string[] operations = [BreakGlassOperations.ListSubjects, BreakGlassOperations.ExportSubject, BreakGlassOperations.ExportAudit];

        var requested = await Ada.RequestBreakGlassAsync("acme", "Subject asks what is held (GDPR Art. 15)", "INC-7", operations, minutes: 15);
        Assert.Equal((HttpStatusCode.Created, $"/ops/v1/breakglass/{requested.Grant}"), (Recorder.Last.Status, Recorder.Last.Location?.OriginalString));
        Assert.Equal(requested with { Operations = operations }, Recorder.AssertMapsEveryMember<BreakGlassGrant>() with { Operations = operations });
        Assert.Equal(("acme", "ada", "Subject asks what is held (GDPR Art. 15)", "INC-7", 15), (requested.Tenant, requested.RequestedBy, requested.Reason, requested.Ticket, requested.Minutes));
        Assert.Equal(operations, requested.Operations);
        Assert.Equal((null, null, null), (requested.ApprovedBy, requested.ExpiresUtc, requested.RevokedUtc));

        await Refusal(() => Ada.ListSubjectsUnderGrantAsync(requested.Grant, "acme"), HttpStatusCode.Forbidden, "grant_not_approved");
        await Refusal(() => Ada.ApproveBreakGlassAsync(requested.Grant), HttpStatusCode.Forbidden, "self_approval");
        var approved = await Bob.ApproveBreakGlassAsync(requested.Grant);
        Assert.Equal("bob", approved.ApprovedBy);
        Assert.InRange(approved.ExpiresUtc!.Value, DateTimeOffset.UtcNow.AddMinutes(15).AddSeconds(-30), DateTimeOffset.UtcNow.AddMinutes(15).AddSeconds(1));

        var subjects = await Ada.ListSubjectsUnderGrantAsync(requested.Grant, "acme");
        Assert.Equal((HttpStatusCode.OK, "no-store"), (Recorder.Last.Status, Recorder.Last.CacheControl));
        Assert.Equal(subjects.Subjects, Recorder.AssertMapsEveryMember<SubjectIdList>().Subjects);
        Assert.Equal("acme", subjects.Tenant);
        Assert.Contains("glass-anna", subjects.Subjects);
        var export = await Ada.ExportSubjectUnderGrantAsync(requested.Grant, "acme", "glass-anna");
        Assert.Equal(("acme", "glass-anna", 1, (SealedTemplates?)null), (export.Tenant, export.Subject, export.Templates.Count, export.SealedTemplates));
        var audit = await Ada.ExportAuditUnderGrantAsync(requested.Grant, "acme");
        Assert.Contains(audit.Entries, e => e.Action == "subjects.list" && e.Actor == "operator:ada");
        await Refusal(() => Bob.ListSubjectsUnderGrantAsync(requested.Grant, "acme"), HttpStatusCode.Forbidden, "forbidden");
        await Refusal(() => Ada.ListSubjectsUnderGrantAsync(requested.Grant, "globex"), HttpStatusCode.Forbidden, "forbidden");

        Assert.Contains(approved, await Ada.ListBreakGlassAsync("acme"), GrantComparer.Instance);
        Assert.DoesNotContain(await Ada.ListBreakGlassAsync("globex"), g => g.Grant == requested.Grant);
        var revoked = await Bob.RevokeBreakGlassAsync(requested.Grant);
        Assert.NotNull(revoked.RevokedUtc);
        await Refusal(() => Ada.ListSubjectsUnderGrantAsync(requested.Grant, "acme"), HttpStatusCode.Forbidden, "grant_expired");
        await Refusal(() => Bob.ApproveBreakGlassAsync("nosuchgrant"), HttpStatusCode.NotFound, "unknown_grant");
    }

    /// <summary>The operator API's list of keys, to check its members.</summary>
    private sealed record KeysOf(IReadOnlyList<ApiKeyInfo> Keys);

    /// <summary>Grants by value (records compare lists by reference).</summary>
    private sealed class GrantComparer : IEqualityComparer<BreakGlassGrant>
    {
        public static readonly GrantComparer Instance = new();

        public bool Equals(BreakGlassGrant? x, BreakGlassGrant? y) =>
            x is not null && y is not null && x with { Operations = Array.Empty<string>() } == y with { Operations = Array.Empty<string>() } && x.Operations.SequenceEqual(y.Operations);

        public int GetHashCode(BreakGlassGrant obj) => obj.Grant.GetHashCode(StringComparison.Ordinal);
    }
}
