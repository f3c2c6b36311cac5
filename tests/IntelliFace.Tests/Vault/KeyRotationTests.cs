using System.Security.Cryptography;
using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Tests.Vault;

public sealed class KeyRotationTests
{
    private static readonly TenantId Acme = new("acme");
    private static readonly TenantId Globex = new("globex");

    public static TheoryData<string> Backends => VaultBackend.Names;

    [Theory, MemberData(nameof(Backends))]
    public void Rotating_a_tenant_key_rewraps_every_subject_key_destroys_the_old_version_and_reseals_no_template(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using var vault = store.Open();
        for (var i = 0; i < 30; i++) vault.AddTemplate(Acme, new SubjectId($"s{i:00}"), TestEmbeddings.Make(TestEmbeddings.PackA, i));
        vault.AddTemplate(Globex, new SubjectId("g"), TestEmbeddings.Make(TestEmbeddings.PackA, 99));
        var sealedBefore = SealedDigest(store);
        var globexKeyBefore = (byte[])store.KeySql("SELECT wrapped_key FROM subject_keys WHERE tenant_id = 'globex'")!;

        var first = new OperatorService(vault).RotateTenantKey(Acme, batchSize: 7);
        var second = new OperatorService(vault).RotateTenantKey(Acme, batchSize: 7);

        Assert.Equal(new RotationResult("v1", "v2", 30, false), first);
        Assert.Equal(new RotationResult("v2", "v3", 30, false), second);
        Assert.Equal(3L, store.KeyCount("SELECT key_version FROM tenant_keys WHERE tenant_id = 'acme'"));
        Assert.Equal(1L, store.KeyCount("SELECT COUNT(*) FROM tenant_keys WHERE tenant_id = 'acme'"));
        Assert.Equal(30L, store.KeyCount("SELECT COUNT(*) FROM subject_keys WHERE tenant_id = 'acme' AND tenant_key_version = 3"));
        Assert.Equal(sealedBefore, SealedDigest(store));
        Assert.Equal(globexKeyBefore, (byte[])store.KeySql("SELECT wrapped_key FROM subject_keys WHERE tenant_id = 'globex'")!);
        Assert.Equal(1, vault.CachedKeyCount(Acme));
        using var reopened = store.Open();
        Assert.Equal(30, reopened.LoadTemplates(Acme, TestEmbeddings.PackA).Count);
        Assert.Equal(TestEmbeddings.Make(TestEmbeddings.PackA, 7).Values.ToArray(),
            reopened.LoadTemplates(Acme, new SubjectId("s07"), TestEmbeddings.PackA).Single().Embedding.Values.ToArray());
        Assert.Equal(["key.rotate_tenant ok from=v1 resumed=false rewrapped=30 to=v2", "key.rotate_tenant ok from=v2 resumed=false rewrapped=30 to=v3"],
            reopened.Audit.Entries(Acme).Select(e => $"{e.Record.Action} {e.Record.Outcome} {string.Join(" ", e.Record.Details.OrderBy(d => d.Key).Select(d => $"{d.Key}={d.Value}"))}"));
    }

    [Theory, MemberData(nameof(Backends))]
    public void A_tenant_rotation_cut_short_is_finished_by_the_next_run_not_restarted(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using var vault = store.Open();
        for (var i = 0; i < 10; i++) vault.AddTemplate(Acme, new SubjectId($"s{i}"), TestEmbeddings.Make(TestEmbeddings.PackA, i));
        // What a run killed after its first batch leaves: version 2 exists and wraps 4 of the 10 subject keys.
        using (var v2 = TenantDataKey.Generate(Acme, 2))
        {
            vault.Keys.AddTenantKey(new WrappedTenantKey(Acme, 2, vault.Master.Id, TenantKeyWrap.Wrap(vault.Master, v2), DateTimeOffset.UtcNow));
            var batch = vault.Keys.SubjectKeysWrappedBefore(Acme, 2, limit: 4).Select(stored =>
            {
                using var key = SubjectKeyWrap.Unwrap(vault.TenantKeyVersion(Acme, 1), stored.Subject, stored.KeyVersion, stored.Wrapped);
                return (stored with { TenantKeyVersion = 2, Wrapped = SubjectKeyWrap.Wrap(v2, key) }, 1);
            }).ToList();
            vault.Keys.RewrapSubjectKeys(batch);
        }
        Assert.Equal(10, vault.LoadTemplates(Acme, TestEmbeddings.PackA).Count);

        var result = new OperatorService(vault).RotateTenantKey(Acme, batchSize: 3);

        Assert.Equal(new RotationResult("v1", "v2", 6, true), result);
        Assert.Equal(10L, store.KeyCount("SELECT COUNT(*) FROM subject_keys WHERE tenant_key_version = 2"));
        Assert.Equal(1L, store.KeyCount("SELECT COUNT(*) FROM tenant_keys"));
        Assert.Equal(10, vault.LoadTemplates(Acme, TestEmbeddings.PackA).Count);
    }

    [Theory, MemberData(nameof(Backends))]
    public void Rotating_the_master_key_rewraps_tenant_and_audit_keys_so_only_the_new_key_opens_the_vault(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using (var vault = store.Open(masterKeyFill: 0x11))
        {
            vault.AddTemplate(Acme, new SubjectId("alice"), TestEmbeddings.Make(TestEmbeddings.PackA, 1));
            vault.AddTemplate(Globex, new SubjectId("bob"), TestEmbeddings.Make(TestEmbeddings.PackA, 2));
            new OperatorService(vault).RotateTenantKey(Acme);
        }
        using var newKey = new FixedMasterKeyProvider(0x22).GetMasterKey();

        RotationResult result;
        using (var rotating = TemplateVault.OpenForMasterRotation(store.Location, new FixedMasterKeyProvider(0x11), new FixedMasterKeyProvider(0x22)))
            result = new OperatorService(rotating).RotateMasterKey(batchSize: 1);

        Assert.Equal(newKey.Id, result.ToVersion);
        Assert.Equal((3L, false), (result.Rewrapped, result.Resumed)); // acme v2, globex v1, the audit key
        Assert.Equal([newKey.Id], (new[] { "tenant_keys", "vault_keys" }).Select(t => (string)store.KeySql($"SELECT DISTINCT master_key_id FROM {t}")!).Distinct());
        Assert.Equal(FaceErrorCode.KeyUnavailable, Assert.Throws<FaceException>(() => store.Open(masterKeyFill: 0x11)).Code);
        using var reopened = store.Open(masterKeyFill: 0x22);
        Assert.Single(reopened.LoadTemplates(Acme, TestEmbeddings.PackA));
        Assert.Single(reopened.LoadTemplates(Globex, TestEmbeddings.PackA));
        Assert.True(reopened.Audit.Verify().Intact);
    }

    /// <summary>A digest of every template row as stored (id and sealed bytes), to show nothing was re-sealed.</summary>
    internal static string SealedDigest(VaultBackend store)
    {
        var (vaultDatabase, keyDatabase) = store.Location.OpenDatabases();
        try
        {
            var rows = vaultDatabase.Read(session => session.Query("SELECT template_id, sealed FROM templates ORDER BY template_id",
                reader => reader.GetString(0) + Convert.ToHexStringLower((byte[])reader.GetValue(1))));
            return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(string.Join("|", rows))));
        }
        finally
        {
            vaultDatabase.Dispose();
            keyDatabase.Dispose();
        }
    }
}
