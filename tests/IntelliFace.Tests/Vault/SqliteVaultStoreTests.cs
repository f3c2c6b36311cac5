using IntelliFace.Tenancy;
using IntelliFace.Vault;
using Microsoft.Data.Sqlite;

namespace IntelliFace.Tests.Vault;

public sealed class SqliteVaultStoreTests : IDisposable
{
    private static readonly TenantId Acme = new("acme");
    private static readonly SubjectId Alice = new("alice");
    private static readonly SubjectId Bob = new("bob");

    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string DatabaseFile => _directory.File("vault.db");

    [Fact]
    public void A_new_database_is_wal_with_schema_version_1()
    {
        using (SqliteVaultStore.Open(DatabaseFile))
        {
        }

        Assert.Equal("wal", Sql("PRAGMA journal_mode"));
        Assert.Equal(1L, Sql("SELECT version FROM schema_version"));
        Assert.Equal(1L, Sql("SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public void A_database_from_a_newer_release_is_refused()
    {
        using (SqliteVaultStore.Open(DatabaseFile))
        {
        }
        Sql("UPDATE schema_version SET version = 2");

        var error = Assert.Throws<InvalidOperationException>(() => SqliteVaultStore.Open(DatabaseFile));

        Assert.Equal("The vault database has schema version 2; this IntelliFace reads version 1. Use a newer release.", error.Message);
    }

    [Fact]
    public void A_failed_add_leaves_neither_template_nor_new_subject()
    {
        using var store = SqliteVaultStore.Open(DatabaseFile);
        store.AddTenant(TenantKey());
        var first = Template(Alice);
        store.AddTemplate(first);

        // A duplicate template id makes the second insert of the transaction fail after the subject insert succeeded.
        var error = Assert.Throws<SqliteException>(() => store.AddTemplate(first with { Subject = Bob }));

        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal([Alice], store.ListSubjects(Acme, after: null, limit: 10).Select(s => s.Subject));
        Assert.Equal(1L, Sql("SELECT COUNT(*) FROM templates"));
        Assert.Equal(0L, Sql("SELECT COUNT(*) FROM subjects WHERE subject_id = 'bob'"));
    }

    [Fact]
    public void A_template_of_an_unknown_tenant_is_refused_and_leaves_nothing()
    {
        using var store = SqliteVaultStore.Open(DatabaseFile);

        var error = Assert.Throws<SqliteException>(() => store.AddTemplate(Template(Alice)));

        Assert.Equal(19, error.SqliteErrorCode);
        Assert.Equal(0L, Sql("SELECT COUNT(*) FROM subjects"));
        Assert.Equal(0L, Sql("SELECT COUNT(*) FROM templates"));
    }

    [Fact]
    public void Adding_a_tenant_twice_keeps_the_first_key()
    {
        using var store = SqliteVaultStore.Open(DatabaseFile);
        var first = TenantKey(wrapped: [1, 2, 3]);

        store.AddTenant(first);
        var second = store.AddTenant(TenantKey(wrapped: [4, 5, 6]));

        Assert.Equal(first.Wrapped, second.Wrapped);
        Assert.Equal(1L, Sql("SELECT COUNT(*) FROM tenant_keys"));
        Assert.Equal(["mk-test"], store.MasterKeyIds());
    }

    private static WrappedTenantKey TenantKey(byte[]? wrapped = null) =>
        new(Acme, 1, "mk-test", wrapped ?? [1, 2, 3], DateTimeOffset.UtcNow);

    private static SealedTemplate Template(SubjectId subject) =>
        new(TemplateId.New(), Acme, subject, TestEmbeddings.PackA, 1, DateTimeOffset.UtcNow, [9, 9, 9]);

    private object? Sql(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabaseFile, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
