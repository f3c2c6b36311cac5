using System.Security.Cryptography;
using System.Text.Json;
using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Tests.Vault;

namespace IntelliFace.Tests.Gdpr;

public sealed class GdprTests
{
    private static readonly TenantId Acme = new("acme");
    private static readonly SubjectId Alice = new("alice-gdpr");
    private static readonly SubjectId Bob = new("bob-gdpr");

    public static TheoryData<string> Backends => VaultBackend.Names;

    [Theory]
    [InlineData(0)]
    [InlineData(36_501)]
    [InlineData(int.MaxValue)]
    public void A_retention_period_outside_a_century_is_refused_when_it_is_set(int days)
    {
        using var store = VaultBackend.Create(VaultBackend.Sqlite);
        using var vault = store.Open();
        var operators = new OperatorService(vault);

        Assert.Equal(FaceErrorCode.InvalidArgument, Assert.Throws<FaceException>(() => operators.CreateTenant(Acme, retentionDays: days)).Code);
        operators.CreateTenant(Acme, retentionDays: 36_500);
        Assert.Equal(FaceErrorCode.InvalidArgument, Assert.Throws<FaceException>(() => operators.SetTenantPolicy(Acme, false, days)).Code);
        Assert.Equal(36_500, vault.Tenants.Find(Acme)!.RetentionDays);
        Assert.Empty(new RetentionJob(vault).RunOnce());
    }

    [Theory]
    [InlineData("v3\u0000<script>", null)]
    [InlineData("a-notice-version-of-a-hundred-and-one-characters-....................................................", null)]
    [InlineData("v3", "2999-01-01T00:00:00Z")]
    [InlineData("v3", "0001-01-01T00:00:00Z")]
    public void A_consent_record_with_a_notice_that_is_no_label_or_a_time_that_cannot_be_is_refused(string notice, string? givenUtc)
    {
        using var store = VaultBackend.Create(VaultBackend.Sqlite);
        using var vault = store.Open();
        new OperatorService(vault).CreateTenant(Acme);
        var given = givenUtc is null ? (DateTimeOffset?)null : DateTimeOffset.Parse(givenUtc, System.Globalization.CultureInfo.InvariantCulture);

        var error = Assert.Throws<FaceException>(() => new TenantDataService(vault).RecordConsent(Acme, Alice, "employment", System.Text.RegularExpressions.Regex.Unescape(notice), given));

        Assert.Equal(FaceErrorCode.InvalidArgument, error.Code);
        Assert.Null(vault.Consents.Find(Acme, Alice));
    }

    [Theory, MemberData(nameof(Backends))]
    public void Erasing_a_subject_leaves_nothing_of_it_but_the_audit_record_of_the_erasure(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using var vault = store.Open();
        new OperatorService(vault).CreateTenant(Acme);
        var data = new TenantDataService(vault);
        foreach (var subject in new[] { Alice, Bob })
        {
            data.RecordConsent(Acme, subject, "explicit_consent", "notice-3");
            vault.AddTemplate(Acme, subject, TestEmbeddings.Make(TestEmbeddings.PackA, 1));
            vault.AddTemplate(Acme, subject, TestEmbeddings.Make(TestEmbeddings.PackB, 2));
        }
        Assert.Equal(["audit_log", "consents", "subjects", "templates"], store.TablesContaining(Alice.Value));

        data.EraseSubject(Acme, Alice);

        Assert.Equal(["audit_log"], store.TablesContaining(Alice.Value));
        Assert.Empty(store.TablesContaining(Alice.Value, keyStore: true));
        Assert.Equal(["subject_keys"], store.TablesContaining(Bob.Value, keyStore: true));
        Assert.Equal([Bob, Bob], vault.LoadTemplates(Acme, TestEmbeddings.PackA).Concat(vault.LoadTemplates(Acme, TestEmbeddings.PackB)).Select(t => t.Subject));
        Assert.Equal(1, vault.CachedKeyCount(Acme)); // the tenant's key only: subject keys are never cached
        Assert.Equal(["consent.record", "subject.erase"], vault.Audit.Entries(Acme, Alice).Select(e => e.Record.Action));
    }

    [Theory, MemberData(nameof(Backends))]
    public void Deleting_a_tenant_leaves_nothing_of_it_but_its_audit_trail(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using var vault = store.Open();
        var admin = new OperatorService(vault);
        admin.CreateTenant(Acme, consentRequired: true, retentionDays: 90);
        admin.CreateTenant(new TenantId("globex"));
        new TenantDataService(vault).RecordConsent(Acme, Alice, "employment", "n1");
        vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(TestEmbeddings.PackA, 1));
        using (admin.CreateApiKey(Acme, Scopes.All)) { }
        using var ada = admin.AddOperator(new OperatorName("ada"));
        new OperatorService(vault, new ApiKeyAuthenticator(vault).Authenticate(ada.Reveal())).RequestBreakGlass(Acme, "r", "t", ["subjects.list"], 5);
        vault.LoadTemplates(Acme, TestEmbeddings.PackA);

        admin.DeleteTenant(Acme);

        Assert.Equal(["audit_log"], store.TablesContaining("acme"));
        Assert.Empty(store.TablesContaining("acme", keyStore: true));
        Assert.Equal(0, vault.CachedKeyCount(Acme));
    }

    [Theory, MemberData(nameof(Backends))]
    public void A_subjects_export_has_its_metadata_consent_and_audit_and_its_templates_only_sealed_for_the_tenant(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using var vault = store.Open();
        var admin = new OperatorService(vault);
        admin.CreateTenant(Acme);
        using var key = admin.CreateApiKey(Acme, Scopes.ManageSubjects);
        var tenant = new TenantDataService(vault, new ApiKeyAuthenticator(vault).Authenticate(key.Reveal()));
        tenant.RecordConsent(Acme, Alice, "explicit_consent", "notice-7", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var first = vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(TestEmbeddings.PackA, 11));
        var second = vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(TestEmbeddings.PackB, 12));
        using var recipient = RSA.Create(2048);

        var metadataOnly = tenant.ExportSubject(Acme, Alice);
        var withTemplates = tenant.ExportSubject(Acme, Alice, recipient.ExportSubjectPublicKeyInfoPem());

        Assert.Null(metadataOnly.Sealed);
        // Templates made in the same millisecond come in id order, so the comparison ignores order.
        Assert.Equal(new[] { (first, TestEmbeddings.PackA, 1), (second, TestEmbeddings.PackB, 1) }.OrderBy(t => t.Item1.Value, StringComparer.Ordinal),
            metadataOnly.Templates.Select(t => (t.Id, t.Pack, t.KeyVersion)).OrderBy(t => t.Id.Value, StringComparer.Ordinal));
        Assert.Equal(("explicit_consent", "notice-7", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)),
            (metadataOnly.Consent!.LawfulBasis, metadataOnly.Consent.NoticeVersion, metadataOnly.Consent.GivenUtc));
        Assert.Equal(["consent.record"], metadataOnly.AuditEntries.Select(e => e.Record.Action));
        Assert.Equal(["consent.record", "subject.export"], withTemplates.AuditEntries.Select(e => e.Record.Action));

        var sealedTemplates = withTemplates.Sealed!;
        var aesKey = recipient.Decrypt(sealedTemplates.WrappedKey, RSAEncryptionPadding.OaepSHA256);
        var plaintext = new byte[sealedTemplates.Ciphertext.Length];
        using (var aes = new AesGcm(aesKey, 16))
            aes.Decrypt(sealedTemplates.Nonce, sealedTemplates.Ciphertext, sealedTemplates.Tag, plaintext, System.Text.Encoding.UTF8.GetBytes(sealedTemplates.AssociatedData));
        using var opened = JsonDocument.Parse(plaintext);
        var embeddings = opened.RootElement.EnumerateArray().ToDictionary(
            t => t.GetProperty("template").GetString()!, t => t.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray());
        Assert.Equal(TestEmbeddings.Make(TestEmbeddings.PackA, 11).Values.ToArray(), embeddings[first.Value]);
        Assert.Equal(TestEmbeddings.Make(TestEmbeddings.PackB, 12).Values.ToArray(), embeddings[second.Value]);
        Assert.Equal("intelliface/subject-export/v1|acme|alice-gdpr", sealedTemplates.AssociatedData);

        var local = Assert.Throws<FaceException>(() => new TenantDataService(vault).ExportSubject(Acme, Alice, recipient.ExportSubjectPublicKeyInfoPem()));
        Assert.Equal((FaceErrorCode.Forbidden, "Templates are exported only to the tenant itself, with its own API key."), (local.Code, local.Message));
        Assert.Equal(FaceErrorCode.UnknownSubject, Assert.Throws<FaceException>(() => tenant.ExportSubject(Acme, Bob)).Code);
    }

    [Theory, MemberData(nameof(Backends))]
    public void The_retention_run_erases_templates_unused_for_the_tenants_days_and_subjects_left_without_any(string backend)
    {
        using var store = VaultBackend.Create(backend);
        var clock = new ManualClock(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        using var vault = store.Open(clock);
        var admin = new OperatorService(vault);
        admin.CreateTenant(Acme, retentionDays: 30);
        admin.CreateTenant(new TenantId("keeper"));
        var carol = new SubjectId("carol");
        vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(TestEmbeddings.PackA, 1));
        vault.AddTemplate(Acme, Bob, TestEmbeddings.Make(TestEmbeddings.PackA, 2));
        var carolOld = vault.AddTemplate(Acme, carol, TestEmbeddings.Make(TestEmbeddings.PackA, 3));
        vault.AddTemplate(new TenantId("keeper"), Alice, TestEmbeddings.Make(TestEmbeddings.PackA, 4));
        clock.Advance(TimeSpan.FromDays(20));
        vault.Templates.MarkUsed(Acme, Bob, clock.GetUtcNow()); // what a verify or identify that matched bob does
        clock.Advance(TimeSpan.FromDays(5));
        var carolNew = vault.AddTemplate(Acme, carol, TestEmbeddings.Make(TestEmbeddings.PackA, 5));
        clock.Advance(TimeSpan.FromDays(6));

        var results = new RetentionJob(vault).RunOnce();

        Assert.Equal([new RetentionResult(Acme, 30, 2, 1)], results);
        Assert.Equal([Bob, carol], vault.ListSubjects(Acme).Select(s => s.Subject));
        Assert.Equal([carolNew], vault.LoadTemplates(Acme, carol, TestEmbeddings.PackA).Select(t => t.Id));
        Assert.DoesNotContain(carolOld, vault.LoadTemplates(Acme, TestEmbeddings.PackA).Select(t => t.Id));
        Assert.Null(vault.Keys.FindSubjectKey(Acme, Alice));
        Assert.Single(vault.LoadTemplates(new TenantId("keeper"), TestEmbeddings.PackA));
        Assert.Equal(["system:retention subject.erase alice-gdpr", "system:retention retention.erase "],
            vault.Audit.Entries(Acme).Where(e => e.Record.Actor == RetentionJob.Actor).Select(e => $"{e.Record.Actor} {e.Record.Action} {e.Record.Subject?.Value}"));
        Assert.Empty(new RetentionJob(vault).RunOnce());
    }
}
