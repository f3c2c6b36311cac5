using System.Runtime.Versioning;
using IntelliFace.Embedding;
using IntelliFace.Tenancy;
using IntelliFace.Vault;
using Microsoft.Data.Sqlite;

namespace IntelliFace.Tests.Vault;

[UnsupportedOSPlatform("windows")]
public sealed class TemplateVaultTests : IDisposable
{
    private static readonly TenantId Acme = new("acme");
    private static readonly TenantId Globex = new("globex");
    private static readonly SubjectId Alice = new("alice");
    private static readonly SubjectId Bob = new("bob");
    private static readonly PackId PackA = TestEmbeddings.PackA;
    private static readonly PackId PackB = TestEmbeddings.PackB;

    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string DatabaseFile => _directory.File("vault.db");

    [Fact]
    public void Templates_round_trip_per_tenant_subject_and_pack()
    {
        using (var vault = Open())
        {
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 2));
            vault.AddTemplate(Acme, Bob, TestEmbeddings.Make(PackA, 3));
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackB, 4));
        }

        using var reopened = Open();
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

    [Fact]
    public void Another_tenant_sees_nothing()
    {
        using var vault = Open();
        vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
        vault.EnsureTenant(Globex);

        Assert.Empty(vault.ListSubjects(Globex));
        Assert.Empty(vault.LoadTemplates(Globex, PackA));
        Assert.Empty(vault.LoadTemplates(Globex, Alice, PackA));
        Assert.Empty(vault.PacksOf(Globex));
        Assert.False(vault.DeleteSubject(Globex, Alice));
        Assert.Single(vault.LoadTemplates(Acme, PackA));
    }

    [Fact]
    public void Subjects_page_in_id_order()
    {
        using var vault = Open();
        foreach (var name in new[] { "carol", "alice", "bob", "dave" })
            vault.AddTemplate(Acme, new SubjectId(name), TestEmbeddings.Make(PackA, 1));

        var first = vault.ListSubjects(Acme, limit: 3);
        var second = vault.ListSubjects(Acme, after: first[^1].Subject, limit: 3);

        Assert.Equal(["alice", "bob", "carol"], first.Select(s => s.Subject.Value));
        Assert.Equal(["dave"], second.Select(s => s.Subject.Value));
    }

    [Theory]
    [InlineData("alice-2")] // another template of the same subject
    [InlineData("bob-1")] // another subject of the same tenant
    [InlineData("carol-1")] // another tenant
    public void A_sealed_blob_copied_onto_another_record_is_unreadable(string target)
    {
        var ids = new Dictionary<string, TemplateId>();
        using (var vault = Open())
        {
            ids["alice-1"] = vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
            ids["alice-2"] = vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 2));
            ids["bob-1"] = vault.AddTemplate(Acme, Bob, TestEmbeddings.Make(PackA, 3));
            ids["carol-1"] = vault.AddTemplate(Globex, new SubjectId("carol"), TestEmbeddings.Make(PackA, 4));
        }

        Sql("UPDATE templates SET sealed = (SELECT sealed FROM templates WHERE template_id = $source) WHERE template_id = $target",
            ("$source", ids["alice-1"].Value), ("$target", ids[target].Value));

        using var reopened = Open();
        var tenant = target == "carol-1" ? Globex : Acme;
        var error = Assert.Throws<FaceException>(() => reopened.LoadTemplates(tenant, PackA));
        Assert.Equal(FaceErrorCode.TemplateUnreadable, error.Code);
        Assert.Equal($"Template {ids[target]} cannot be opened: it was altered or moved from another record.", error.Message);
    }

    [Theory]
    [InlineData("UPDATE templates SET pack_id = 'test-pack-b@1'", "test-pack-b@1")]
    [InlineData("UPDATE templates SET subject_id = 'bob'", "test-pack-a@1")]
    public void A_record_relabelled_in_the_database_is_unreadable(string relabel, string pack)
    {
        using (var vault = Open())
        {
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
            vault.AddTemplate(Acme, Bob, TestEmbeddings.Make(PackB, 2));
        }

        Sql("DELETE FROM templates WHERE subject_id = 'bob'");
        Sql(relabel);

        using var reopened = Open();
        var error = Assert.Throws<FaceException>(() => reopened.LoadTemplates(Acme, new PackId(pack)));
        Assert.Equal(FaceErrorCode.TemplateUnreadable, error.Code);
    }

    [Fact]
    public void A_tenant_key_copied_to_another_tenant_does_not_unwrap()
    {
        using (var vault = Open())
        {
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
            vault.AddTemplate(Globex, Alice, TestEmbeddings.Make(PackA, 2));
        }

        Sql("UPDATE tenant_keys SET wrapped_key = (SELECT wrapped_key FROM tenant_keys WHERE tenant_id = 'acme') WHERE tenant_id = 'globex'");

        using var reopened = Open();
        var error = Assert.Throws<FaceException>(() => reopened.LoadTemplates(Globex, PackA));
        Assert.Equal(FaceErrorCode.KeyUnavailable, error.Code);
        Assert.Single(reopened.LoadTemplates(Acme, PackA));
    }

    [Fact]
    public void No_file_of_the_vault_contains_an_embeddings_plaintext()
    {
        var embeddings = Enumerable.Range(1, 20).Select(seed => TestEmbeddings.Make(PackA, seed)).ToArray();
        using (var vault = Open())
        {
            foreach (var embedding in embeddings) vault.AddTemplate(Acme, Alice, embedding);
            vault.DeleteSubject(Acme, Alice);
            foreach (var embedding in embeddings) vault.AddTemplate(Acme, Bob, embedding);

            Assert.Equal(["vault.db", "vault.db-shm", "vault.db-wal"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName).Order());
            AssertNoFileContains(embeddings);
        }
        AssertNoFileContains(embeddings);
    }

    [Fact]
    public void Another_master_key_cannot_open_the_vault()
    {
        string originalId;
        using (var vault = Open(masterKeyFill: 0x11))
        {
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
            using var key = new FixedMasterKeyProvider(0x11).GetMasterKey();
            originalId = key.Id;
        }

        using var otherKey = new FixedMasterKeyProvider(0x22).GetMasterKey();
        var error = Assert.Throws<FaceException>(() => Open(masterKeyFill: 0x22));

        Assert.Equal(FaceErrorCode.KeyUnavailable, error.Code);
        Assert.Equal($"The vault's tenant keys were wrapped by master key {originalId}, but the supplied master key is {otherKey.Id}. "
            + "Supply the original master key; a new key cannot open existing data.", error.Message);
    }

    [Fact]
    public void A_created_key_file_opens_the_vault_again_after_restart()
    {
        var keyFile = Path.Combine(_directory.Path, "config", "master.key");
        var dataDirectory = Path.Combine(_directory.Path, "data");
        var created = new List<string>();
        using (var vault = TemplateVault.OpenSqlite(dataDirectory, new KeyFileMasterKeyProvider(keyFile, createIfMissing: true, created.Add)))
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));

        using var reopened = TemplateVault.OpenSqlite(dataDirectory, new KeyFileMasterKeyProvider(keyFile, createIfMissing: true, created.Add));

        Assert.Single(reopened.LoadTemplates(Acme, PackA));
        Assert.Equal([keyFile], created);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDirectory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDirectory, "vault.db")));
    }

    [Fact]
    public void Deleting_a_subject_removes_its_rows_and_nothing_else()
    {
        using var vault = Open();
        vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
        vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackB, 2));
        vault.AddTemplate(Acme, Bob, TestEmbeddings.Make(PackA, 3));
        vault.AddTemplate(Globex, Alice, TestEmbeddings.Make(PackA, 4));

        Assert.True(vault.DeleteSubject(Acme, Alice));
        Assert.False(vault.DeleteSubject(Acme, Alice));

        Assert.Equal(0L, Sql("SELECT COUNT(*) FROM templates WHERE tenant_id = 'acme' AND subject_id = 'alice'"));
        Assert.Equal(0L, Sql("SELECT COUNT(*) FROM subjects WHERE tenant_id = 'acme' AND subject_id = 'alice'"));
        Assert.Equal(2L, Sql("SELECT COUNT(*) FROM templates"));
        Assert.Equal([Bob], vault.ListSubjects(Acme).Select(s => s.Subject));
        Assert.Equal([PackA], vault.PacksOf(Acme));
        Assert.Single(vault.LoadTemplates(Globex, Alice, PackA));
    }

    [Fact]
    public void A_deleted_subjects_sealed_templates_are_gone_from_the_files_after_close()
    {
        byte[] sealedTemplate;
        using (var vault = Open())
        {
            vault.AddTemplate(Acme, Alice, TestEmbeddings.Make(PackA, 1));
            vault.AddTemplate(Acme, Bob, TestEmbeddings.Make(PackA, 2));
            sealedTemplate = (byte[])Sql("SELECT sealed FROM templates WHERE subject_id = 'alice'")!;
            vault.DeleteSubject(Acme, Alice);
        }

        foreach (var file in Directory.GetFiles(_directory.Path))
            Assert.Equal(-1, File.ReadAllBytes(file).AsSpan().IndexOf(sealedTemplate.AsSpan(SealedEnvelope.HeaderSize, 64)));
    }

    [Fact]
    public void Adds_and_loads_from_eight_threads_lose_nothing()
    {
        const int Threads = 8, AddsPerThread = 25;
        using var vault = Open();
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
        Assert.Equal(2L, Sql("SELECT COUNT(*) FROM tenant_keys"));
    }

    private TemplateVault Open(byte masterKeyFill = 0x11) => TemplateVault.OpenSqlite(_directory.Path, new FixedMasterKeyProvider(masterKeyFill));

    private static float[][] Values(params int[] seeds) => seeds.Select(seed => TestEmbeddings.Make(PackA, seed).Values.ToArray()).ToArray();

    private void AssertNoFileContains(FaceEmbedding[] embeddings)
    {
        foreach (var file in Directory.GetFiles(_directory.Path))
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

    private object? Sql(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabaseFile, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command.ExecuteScalar();
    }
}
