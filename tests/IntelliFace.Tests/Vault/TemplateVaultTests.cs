using System.Runtime.Versioning;
using IntelliFace.Embedding;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Tests.Vault;

/// <summary>The vault's behaviour on every database engine (<see cref="VaultBackend.Names"/>).</summary>
public sealed class TemplateVaultTests
{
    private static readonly TenantId Acme = new("acme");
    private static readonly TenantId Globex = new("globex");
    private static readonly SubjectId Alice = new("alice");
    private static readonly SubjectId Bob = new("bob");
    private static readonly PackId PackA = TestEmbeddings.PackA;
    private static readonly PackId PackB = TestEmbeddings.PackB;

    public static TheoryData<string> Backends => VaultBackend.Names;

    [Theory, MemberData(nameof(Backends))]
    public void Templates_round_trip_per_tenant_subject_and_pack(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using (var vault = store.Open())
        {
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 2));
            vault.AddTemplate(Acme, Bob, TestEmbeddings.Make(PackA, 3));
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackB, 4));
        }

        using var reopened = store.Open();
        var gallery = reopened.LoadTemplates(Acme, PackA);
        Assert.Equal(["alice", "alice", "bob"], gallery.Select(t => t.Subject.Value));
        Assert.Equal(Values(1, 2), gallery.Where(t => t.Subject == Alice).Select(t => t.Embedding.Values.ToArray()).OrderBy(v => v[0]));
        Assert.Equal(TestEmbeddings.Make(PackA, 3).Values.ToArray(), gallery.Single(t => t.Subject == Bob).Embedding.Values.ToArray());
        Assert.All(gallery, t => Assert.Equal(PackA, t.Embedding.Pack));
        Assert.Equal(gallery.Count, gallery.Select(t => t.Id).Distinct().Count());

        var aliceB = Assert.Single(reopened.LoadTemplates(Acme, Alice, PackB));
        Assert.Equal(TestEmbeddings.Make(PackB, 4).Values.ToArray(), aliceB.Embedding.Values.ToArray());
        Assert.Equal(PackB, aliceB.Embedding.Pack);
        Assert.Empty(reopened.LoadTemplates(Acme, Bob, PackB));

        Assert.Equal([PackA, PackB], reopened.PacksOf(Acme));
        Assert.Equal([PackA], reopened.PacksOf(Acme, Bob));

        var subjects = reopened.ListSubjects(Acme);
        Assert.Equal([Alice, Bob], subjects.Select(s => s.Subject));
        Assert.Equal([3, 1], subjects.Select(s => s.TemplateCount));
        Assert.Equal([PackA, PackB], subjects[0].Packs);
        Assert.Equal([PackA], subjects[1].Packs);
        Assert.InRange(subjects[0].CreatedUtc, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);
    }

    [Theory, MemberData(nameof(Backends))]
    public void Each_subject_has_its_own_key_wrapped_by_the_tenant_key_and_every_template_records_its_key_version(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using (var vault = store.Open())
        {
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 2));
            vault.AddTemplate(Acme, Bob, TestEmbeddings.Make(PackA, 3));
            vault.AddTemplate(Globex, Alice, TestEmbeddings.Make(PackA, 4));
        }

        Assert.Equal(3L, store.KeyCount("SELECT COUNT(*) FROM subject_keys"));
        Assert.Equal(2L, store.KeyCount("SELECT COUNT(*) FROM tenant_keys"));
        Assert.Equal(3L, store.KeyCount("SELECT COUNT(*) FROM subject_keys WHERE key_version = 1 AND tenant_key_version = 1"));
        Assert.Equal(2L, store.KeyCount("SELECT COUNT(DISTINCT wrapped_key) FROM subject_keys WHERE subject_id = 'alice'"));
        Assert.Equal(4L, store.VaultCount("SELECT COUNT(*) FROM templates WHERE key_version = 1"));
        Assert.Equal(0L, store.VaultCount("SELECT COUNT(*) FROM templates WHERE tenant_id = 'acme' AND subject_id = 'alice' AND template_id IS NULL"));
    }

    [Theory, MemberData(nameof(Backends))]
    public void Another_tenant_sees_nothing(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using var vault = store.Open();
        vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
        vault.EnsureTenant(Globex);

        Assert.Empty(vault.ListSubjects(Globex));
        Assert.Empty(vault.LoadTemplates(Globex, PackA));
        Assert.Empty(vault.LoadTemplates(Globex, Alice, PackA));
        Assert.Empty(vault.PacksOf(Globex));
        Assert.False(vault.DeleteSubject(Globex, Alice));
        Assert.Single(vault.LoadTemplates(Acme, PackA));
    }

    [Theory, MemberData(nameof(Backends))]
    public void Subjects_page_in_id_order(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using var vault = store.Open();
        foreach (var name in new[] { "carol", "alice", "bob", "dave" })
            vault.AddTemplate(Acme, new SubjectId(name), TestEmbeddings.Make(PackA, 1));

        var first = vault.ListSubjects(Acme, limit: 3);
        var second = vault.ListSubjects(Acme, after: first[^1].Subject, limit: 3);

        Assert.Equal(["alice", "bob", "carol"], first.Select(s => s.Subject.Value));
        Assert.Equal(["dave"], second.Select(s => s.Subject.Value));
    }

    public static TheoryData<string, string> TransplantTargets()
    {
        var data = new TheoryData<string, string>();
        foreach (var backend in VaultBackend.Names)
        {
            data.Add(backend, "alice-2"); // another template of the same subject
            data.Add(backend, "bob-1"); // another subject of the same tenant
            data.Add(backend, "carol-1"); // another tenant
        }
        return data;
    }

    [Theory, MemberData(nameof(TransplantTargets))]
    public void A_sealed_blob_copied_onto_another_record_is_unreadable(string backend, string target)
    {
        using var store = VaultBackend.Create(backend);
        var ids = new Dictionary<string, TemplateId>();
        using (var vault = store.Open())
        {
            ids["alice-1"] = vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
            ids["alice-2"] = vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 2));
            ids["bob-1"] = vault.AddTemplate(Acme, Bob, TestEmbeddings.Make(PackA, 3));
            ids["carol-1"] = vault.AddTemplate(Globex, new SubjectId("carol"), TestEmbeddings.Make(PackA, 4));
        }

        store.VaultSql("UPDATE templates SET sealed = (SELECT sealed FROM templates WHERE template_id = @source) WHERE template_id = @target",
            ("@source", ids["alice-1"].Value), ("@target", ids[target].Value));

        using var reopened = store.Open();
        var tenant = target == "carol-1" ? Globex : Acme;
        var error = Assert.Throws<FaceException>(() => reopened.LoadTemplates(tenant, PackA));
        Assert.Equal(FaceErrorCode.TemplateUnreadable, error.Code);
        Assert.Equal($"Template {ids[target]} cannot be opened: it was altered or moved from another record.", error.Message);
    }

    public static TheoryData<string, string, string> Relabels()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var backend in VaultBackend.Names)
        {
            data.Add(backend, "UPDATE templates SET pack_id = 'test-pack-b@1'", "test-pack-b@1");
            data.Add(backend, "UPDATE templates SET subject_id = 'bob'", "test-pack-a@1");
        }
        return data;
    }

    [Theory, MemberData(nameof(Relabels))]
    public void A_record_relabelled_in_the_database_is_unreadable(string backend, string relabel, string pack)
    {
        using var store = VaultBackend.Create(backend);
        using (var vault = store.Open())
        {
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
            vault.AddTemplate(Acme, Bob, TestEmbeddings.Make(PackB, 2));
        }

        store.VaultSql("DELETE FROM templates WHERE subject_id = 'bob'");
        store.VaultSql(relabel);

        using var reopened = store.Open();
        var error = Assert.Throws<FaceException>(() => reopened.LoadTemplates(Acme, new PackId(pack)));
        Assert.Equal(FaceErrorCode.TemplateUnreadable, error.Code);
    }

    [Theory, MemberData(nameof(Backends))]
    public void A_tenant_key_copied_to_another_tenant_does_not_unwrap(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using (var vault = store.Open())
        {
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
            vault.AddTemplate(Globex, Alice, TestEmbeddings.Make(PackA, 2));
        }

        store.KeySql("UPDATE tenant_keys SET wrapped_key = (SELECT wrapped_key FROM tenant_keys WHERE tenant_id = 'acme') WHERE tenant_id = 'globex'");

        using var reopened = store.Open();
        var error = Assert.Throws<FaceException>(() => reopened.LoadTemplates(Globex, PackA));
        Assert.Equal(FaceErrorCode.KeyUnavailable, error.Code);
        Assert.Equal("The data key v1 of tenant globex cannot be unwrapped: the master key is not the one that wrapped it, or the record was altered.", error.Message);
        Assert.Single(reopened.LoadTemplates(Acme, PackA));
    }

    [Theory, MemberData(nameof(Backends))]
    public void A_subject_key_copied_to_another_subject_does_not_unwrap(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using (var vault = store.Open())
        {
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
            vault.AddTemplate(Acme, Bob, TestEmbeddings.Make(PackA, 2));
        }

        store.KeySql("UPDATE subject_keys SET wrapped_key = (SELECT wrapped_key FROM subject_keys WHERE subject_id = 'alice') WHERE subject_id = 'bob'");

        using var reopened = store.Open();
        var error = Assert.Throws<FaceException>(() => reopened.LoadTemplates(Acme, Bob, PackA));
        Assert.Equal(FaceErrorCode.KeyUnavailable, error.Code);
        Assert.Equal("The key of subject bob of tenant acme cannot be unwrapped: it was altered or moved.", error.Message);
        Assert.Single(reopened.LoadTemplates(Acme, Alice, PackA));
    }

    [Theory, MemberData(nameof(Backends))]
    public void Another_master_key_cannot_open_the_vault(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using (var vault = store.Open(masterKeyFill: 0x11))
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
        using var originalKey = new FixedMasterKeyProvider(0x11).GetMasterKey();
        using var otherKey = new FixedMasterKeyProvider(0x22).GetMasterKey();

        var error = Assert.Throws<FaceException>(() => store.Open(masterKeyFill: 0x22));

        Assert.Equal(FaceErrorCode.KeyUnavailable, error.Code);
        Assert.Equal($"The vault's keys were wrapped by master key {originalKey.Id}, but the supplied master key is {otherKey.Id}. "
            + "Supply the original master key; a new key cannot open existing data.", error.Message);
    }

    [Theory, MemberData(nameof(Backends))]
    public void Erasing_a_subject_destroys_its_key_and_rows_and_nothing_else(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using var vault = store.Open();
        vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
        vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackB, 2));
        vault.AddTemplate(Acme, Bob, TestEmbeddings.Make(PackA, 3));
        vault.AddTemplate(Globex, Alice, TestEmbeddings.Make(PackA, 4));

        Assert.True(vault.DeleteSubject(Acme, Alice));
        Assert.False(vault.DeleteSubject(Acme, Alice));

        Assert.Equal(0L, store.VaultCount("SELECT COUNT(*) FROM templates WHERE tenant_id = 'acme' AND subject_id = 'alice'"));
        Assert.Equal(0L, store.VaultCount("SELECT COUNT(*) FROM subjects WHERE tenant_id = 'acme' AND subject_id = 'alice'"));
        Assert.Equal(0L, store.KeyCount("SELECT COUNT(*) FROM subject_keys WHERE tenant_id = 'acme' AND subject_id = 'alice'"));
        Assert.Equal(2L, store.VaultCount("SELECT COUNT(*) FROM templates"));
        Assert.Equal(2L, store.KeyCount("SELECT COUNT(*) FROM subject_keys"));
        Assert.Equal([Bob], vault.ListSubjects(Acme).Select(s => s.Subject));
        Assert.Equal([PackA], vault.PacksOf(Acme));
        Assert.Single(vault.LoadTemplates(Globex, Alice, PackA));
    }

    [Theory, MemberData(nameof(Backends))]
    public void An_erased_subjects_templates_restored_from_a_copy_taken_before_the_erasure_cannot_be_opened(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using (var vault = store.Open())
        {
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 2));
            vault.AddTemplate(Acme, Bob, TestEmbeddings.Make(PackA, 3));
        }
        // The copy of the vault database a backup would hold, taken before the erasure.
        store.VaultSql("CREATE TABLE subjects_copy AS SELECT * FROM subjects");
        store.VaultSql("CREATE TABLE templates_copy AS SELECT * FROM templates");

        using (var vault = store.Open()) Assert.True(vault.DeleteSubject(Acme, Alice));
        store.VaultSql("INSERT INTO subjects SELECT * FROM subjects_copy WHERE subject_id = 'alice'");
        store.VaultSql("INSERT INTO templates SELECT * FROM templates_copy WHERE subject_id = 'alice'");

        using var restored = store.Open();
        Assert.Equal(2L, store.VaultCount("SELECT COUNT(*) FROM templates WHERE subject_id = 'alice'"));
        var error = Assert.Throws<FaceException>(() => restored.LoadTemplates(Acme, Alice, PackA));
        Assert.Equal(FaceErrorCode.KeyUnavailable, error.Code);
        Assert.Equal("Subject alice of tenant acme has no key: it was erased, and its templates can never be opened.", error.Message);
        Assert.Equal([Bob], restored.LoadTemplates(Acme, PackA).Select(t => t.Subject));
    }

    [Theory, MemberData(nameof(Backends))]
    public void Adds_and_loads_from_eight_threads_lose_nothing(string backend)
    {
        const int Threads = 8, AddsPerThread = 25;
        using var store = VaultBackend.Create(backend);
        using var vault = store.Open();
        using var start = new Barrier(Threads);

        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, Threads).Select(thread => new Thread(() =>
        {
            try
            {
                var tenant = thread % 2 == 0 ? Acme : Globex;
                var own = new SubjectId($"s{thread}");
                start.SignalAndWait();
                for (var i = 0; i < AddsPerThread; i++)
                {
                    vault.AddTemplate(tenant, own, TestEmbeddings.Make(PackA, thread * 1000 + i));
                    vault.AddTemplate(tenant, new SubjectId("shared"), TestEmbeddings.Make(PackB, thread * 1000 + i));
                    if (vault.LoadTemplates(tenant, own, PackA).Count != i + 1) throw new InvalidOperationException($"{own} lost a template.");
                    _ = vault.LoadTemplates(tenant, PackB);
                }
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Assert.Empty(failures);
        foreach (var tenant in new[] { Acme, Globex })
        {
            Assert.Equal(Threads / 2 * AddsPerThread, vault.LoadTemplates(tenant, PackA).Count);
            Assert.Equal(Threads / 2 * AddsPerThread, vault.LoadTemplates(tenant, PackB).Count);
            Assert.Equal(Threads / 2 + 1, vault.ListSubjects(tenant).Count);
        }
        Assert.Equal(2L, store.KeyCount("SELECT COUNT(*) FROM tenant_keys"));
        Assert.Equal(10L, store.KeyCount("SELECT COUNT(*) FROM subject_keys"));
    }

    private static float[][] Values(params int[] seeds) => seeds.Select(seed => TestEmbeddings.Make(PackA, seed).Values.ToArray()).ToArray();
}

/// <summary>What only the SQLite files show: owner-only files, no plaintext in any file, the crypto-erasure of a file copy.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class SqliteVaultFileTests : IDisposable
{
    private static readonly TenantId Acme = new("acme");
    private static readonly SubjectId Alice = new("alice");
    private static readonly SubjectId Bob = new("bob");
    private static readonly PackId PackA = TestEmbeddings.PackA;

    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string Data => _directory.File("data");

    [Fact]
    public void No_file_of_the_vault_contains_an_embeddings_plaintext()
    {
        var embeddings = Enumerable.Range(1, 20).Select(seed => TestEmbeddings.Make(PackA, seed)).ToArray();
        using (var vault = Open())
        {
            foreach (var embedding in embeddings) vault.AddTemplate(Acme, Alice, embedding);
            vault.DeleteSubject(Acme, Alice);
            foreach (var embedding in embeddings) vault.AddTemplate(Acme, Bob, embedding);

            Assert.Equal(["keys.db", "keys.db-shm", "keys.db-wal", "vault.db", "vault.db-shm", "vault.db-wal"],
                Directory.GetFiles(Data).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            AssertNoFileContains(embeddings);
        }
        AssertNoFileContains(embeddings);
    }

    [Fact]
    public void A_created_key_file_opens_the_vault_again_after_restart()
    {
        var keyFile = _directory.File(Path.Combine("config", "master.key"));
        var created = new List<string>();
        using (var vault = TemplateVault.OpenSqlite(Data, new KeyFileMasterKeyProvider(keyFile, createIfMissing: true, created.Add)))
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));

        using var reopened = TemplateVault.OpenSqlite(Data, new KeyFileMasterKeyProvider(keyFile, createIfMissing: true, created.Add));

        Assert.Single(reopened.LoadTemplates(Acme, PackA));
        Assert.Equal([keyFile], created);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Data));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Data, "vault.db")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Data, "keys.db")));
    }

    [Fact]
    public void A_deleted_subjects_sealed_templates_and_key_are_gone_from_the_files_after_close()
    {
        byte[] sealedTemplate, wrappedKey;
        using (var vault = Open())
        {
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
            vault.AddTemplate(Acme, Bob, TestEmbeddings.Make(PackA, 2));
            sealedTemplate = vault.Templates.LoadTemplates(Acme, PackA, Alice).Single().Sealed;
            wrappedKey = vault.Keys.FindSubjectKey(Acme, Alice)!.Wrapped;
            vault.DeleteSubject(Acme, Alice);
        }

        foreach (var file in Directory.GetFiles(Data))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(sealedTemplate.AsSpan(SealedEnvelope.HeaderSize, 64)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(wrappedKey.AsSpan(SealedEnvelope.HeaderSize, 32)));
        }
    }

    [Fact]
    public void A_copy_of_the_vault_file_taken_before_an_erasure_no_longer_opens_the_erased_subject()
    {
        using (var vault = Open())
        {
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
            vault.AddTemplate(Acme, Bob, TestEmbeddings.Make(PackA, 2));
        }
        var snapshot = _directory.File("vault-before-erasure.db");
        File.Copy(Path.Combine(Data, "vault.db"), snapshot);

        using (var vault = Open()) Assert.True(vault.DeleteSubject(Acme, Alice));
        File.Copy(snapshot, Path.Combine(Data, "vault.db"), overwrite: true);

        using var restored = Open();
        Assert.Equal([Alice, Bob], restored.ListSubjects(Acme).Select(s => s.Subject));
        var error = Assert.Throws<FaceException>(() => restored.LoadTemplates(Acme, Alice, PackA));
        Assert.Equal("Subject alice of tenant acme has no key: it was erased, and its templates can never be opened.", error.Message);
        // No key left in the key store opens the copied template, whatever subject it is presented as.
        var copied = restored.Templates.LoadTemplates(Acme, PackA, Alice).Single();
        using var bobKey = restored.SubjectKeyOf(Acme, Bob, createIfMissing: false)!;
        using var bobKeyAsAlice = SubjectKey.FromBytes(Acme, Alice, 1, bobKey.Bytes);
        Assert.Equal(FaceErrorCode.TemplateUnreadable, Assert.Throws<FaceException>(() => TemplateSeal.Open(bobKeyAsAlice, copied.Id, PackA, copied.Sealed)).Code);
        Assert.Null(restored.SubjectKeyOf(Acme, Alice, createIfMissing: false));
    }

    private TemplateVault Open() => TemplateVault.OpenSqlite(Data, new FixedMasterKeyProvider(0x11));

    private void AssertNoFileContains(FaceEmbedding[] embeddings)
    {
        foreach (var file in Directory.GetFiles(Data))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            foreach (var embedding in embeddings)
            {
                // Any 16-byte run (4 floats) would already be a leak.
                for (var offset = 0; offset < FaceEmbedding.ByteLength; offset += 16)
                    Assert.Equal(-1, bytes.AsSpan().IndexOf(embedding.AsBytes().Slice(offset, 16)));
            }
        }
    }
}
