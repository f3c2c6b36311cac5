using System.Globalization;
using IntelliFace.Embedding;
using IntelliFace.Tenancy;
using Microsoft.Data.Sqlite;

namespace IntelliFace.Vault;

/// <summary>
/// <see cref="IVaultStore"/> in one SQLite file (WAL mode). A pooled connection per operation makes it
/// thread-safe; writers take the write lock up front (BEGIN IMMEDIATE) and wait up to
/// <see cref="BusyTimeoutSeconds"/> for each other, also across processes.
/// </summary>
internal sealed class SqliteVaultStore : IVaultStore
{
    public const int SchemaVersion = 1;
    public const int BusyTimeoutSeconds = 30;

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private const string SchemaV1 = """
        CREATE TABLE tenants (
            tenant_id   TEXT NOT NULL PRIMARY KEY,
            created_utc TEXT NOT NULL
        ) STRICT;

        -- One row per key version, so rotation adds versions without a schema change.
        CREATE TABLE tenant_keys (
            tenant_id     TEXT NOT NULL REFERENCES tenants (tenant_id),
            key_version   INTEGER NOT NULL CHECK (key_version >= 1),
            master_key_id TEXT NOT NULL,
            wrapped_key   BLOB NOT NULL,
            created_utc   TEXT NOT NULL,
            PRIMARY KEY (tenant_id, key_version)
        ) STRICT;

        CREATE TABLE subjects (
            tenant_id   TEXT NOT NULL REFERENCES tenants (tenant_id),
            subject_id  TEXT NOT NULL,
            created_utc TEXT NOT NULL,
            PRIMARY KEY (tenant_id, subject_id)
        ) STRICT;

        CREATE TABLE templates (
            template_id TEXT NOT NULL PRIMARY KEY,
            tenant_id   TEXT NOT NULL,
            subject_id  TEXT NOT NULL,
            pack_id     TEXT NOT NULL,
            created_utc TEXT NOT NULL,
            key_version INTEGER NOT NULL,
            sealed      BLOB NOT NULL,
            FOREIGN KEY (tenant_id, subject_id) REFERENCES subjects (tenant_id, subject_id),
            FOREIGN KEY (tenant_id, key_version) REFERENCES tenant_keys (tenant_id, key_version)
        ) STRICT;

        CREATE INDEX templates_by_pack ON templates (tenant_id, pack_id, subject_id);
        CREATE INDEX templates_by_subject ON templates (tenant_id, subject_id);
        """;

    private readonly string _connectionString;

    private SqliteVaultStore(string connectionString) => _connectionString = connectionString;

    public static SqliteVaultStore Open(string databaseFile)
    {
        // Created by us first so the file (and the -wal/-shm files SQLite derives from it) is owner-only:
        // it holds no plaintext biometrics, but tenant and subject ids are personal data.
        if (!File.Exists(databaseFile) && !OperatingSystem.IsWindows())
        {
            using var _ = new FileStream(databaseFile, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databaseFile,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString();
        var store = new SqliteVaultStore(connectionString);
        try
        {
            store.CreateOrCheckSchema();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public IReadOnlyList<string> MasterKeyIds()
    {
        using var connection = Connect();
        using var command = Command(connection, "SELECT DISTINCT master_key_id FROM tenant_keys ORDER BY master_key_id");
        return ReadAll(command, reader => reader.GetString(0));
    }

    public WrappedTenantKey? FindTenantKey(TenantId tenant, int keyVersion)
    {
        using var connection = Connect();
        using var command = Command(connection, """
            SELECT key_version, master_key_id, wrapped_key, created_utc FROM tenant_keys
            WHERE tenant_id = $tenant AND key_version = $version
            """, ("$tenant", tenant.Value), ("$version", keyVersion));
        return ReadAll(command, reader => ReadTenantKey(tenant, reader)).SingleOrDefault();
    }

    public WrappedTenantKey? FindCurrentTenantKey(TenantId tenant)
    {
        using var connection = Connect();
        return FindCurrentTenantKey(connection, tenant);
    }

    public WrappedTenantKey AddTenant(WrappedTenantKey firstKey)
    {
        using var connection = Connect();
        using var transaction = connection.BeginTransaction();
        Execute(connection, "INSERT INTO tenants (tenant_id, created_utc) VALUES ($tenant, $created) ON CONFLICT DO NOTHING",
            ("$tenant", firstKey.Tenant.Value), ("$created", Timestamp(firstKey.CreatedUtc)));
        Execute(connection, """
            INSERT INTO tenant_keys (tenant_id, key_version, master_key_id, wrapped_key, created_utc)
            SELECT $tenant, $version, $master, $wrapped, $created
            WHERE NOT EXISTS (SELECT 1 FROM tenant_keys WHERE tenant_id = $tenant)
            """,
            ("$tenant", firstKey.Tenant.Value), ("$version", firstKey.KeyVersion), ("$master", firstKey.MasterKeyId),
            ("$wrapped", firstKey.Wrapped), ("$created", Timestamp(firstKey.CreatedUtc)));
        var stored = FindCurrentTenantKey(connection, firstKey.Tenant)!;
        transaction.Commit();
        return stored;
    }

    public void AddTemplate(SealedTemplate template)
    {
        using var connection = Connect();
        using var transaction = connection.BeginTransaction();
        Execute(connection, """
            INSERT INTO subjects (tenant_id, subject_id, created_utc) VALUES ($tenant, $subject, $created)
            ON CONFLICT DO NOTHING
            """,
            ("$tenant", template.Tenant.Value), ("$subject", template.Subject.Value), ("$created", Timestamp(template.CreatedUtc)));
        Execute(connection, """
            INSERT INTO templates (template_id, tenant_id, subject_id, pack_id, created_utc, key_version, sealed)
            VALUES ($id, $tenant, $subject, $pack, $created, $version, $sealed)
            """,
            ("$id", template.Id.Value), ("$tenant", template.Tenant.Value), ("$subject", template.Subject.Value),
            ("$pack", template.Pack.Value), ("$created", Timestamp(template.CreatedUtc)), ("$version", template.KeyVersion),
            ("$sealed", template.Sealed));
        transaction.Commit();
    }

    public IReadOnlyList<SubjectSummary> ListSubjects(TenantId tenant, SubjectId? after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        using var connection = Connect();
        using var command = Command(connection, """
            SELECT s.subject_id, s.created_utc, t.pack_id, COUNT(t.template_id)
            FROM (SELECT subject_id, created_utc FROM subjects
                  WHERE tenant_id = $tenant AND subject_id > $after
                  ORDER BY subject_id LIMIT $limit) AS s
            LEFT JOIN templates t ON t.tenant_id = $tenant AND t.subject_id = s.subject_id
            GROUP BY s.subject_id, t.pack_id
            ORDER BY s.subject_id, t.pack_id
            """, ("$tenant", tenant.Value), ("$after", after?.Value ?? ""), ("$limit", limit));
        var rows = ReadAll(command, reader => (
            Subject: new SubjectId(reader.GetString(0)),
            Created: ParseTimestamp(reader.GetString(1)),
            Pack: reader.IsDBNull(2) ? (PackId?)null : new PackId(reader.GetString(2)),
            Count: reader.GetInt32(3)));
        return rows
            .GroupBy(row => row.Subject)
            .Select(group => new SubjectSummary(
                group.Key,
                group.First().Created,
                group.Sum(row => row.Count),
                group.Where(row => row.Pack is not null).Select(row => row.Pack!.Value).ToArray()))
            .ToArray();
    }

    public bool DeleteSubject(TenantId tenant, SubjectId subject)
    {
        using var connection = Connect();
        using var transaction = connection.BeginTransaction();
        (string, object)[] key = [("$tenant", tenant.Value), ("$subject", subject.Value)];
        Execute(connection, "DELETE FROM templates WHERE tenant_id = $tenant AND subject_id = $subject", key);
        var deleted = Execute(connection, "DELETE FROM subjects WHERE tenant_id = $tenant AND subject_id = $subject", key) == 1;
        transaction.Commit();
        return deleted;
    }

    public IReadOnlyList<PackId> ListPacks(TenantId tenant, SubjectId? subject)
    {
        using var connection = Connect();
        using var command = Command(connection, """
            SELECT DISTINCT pack_id FROM templates
            WHERE tenant_id = $tenant AND ($subject IS NULL OR subject_id = $subject)
            ORDER BY pack_id
            """, ("$tenant", tenant.Value), ("$subject", (object?)subject?.Value ?? DBNull.Value));
        return ReadAll(command, reader => new PackId(reader.GetString(0)));
    }

    public IReadOnlyList<SealedTemplate> LoadTemplates(TenantId tenant, PackId pack, SubjectId? subject)
    {
        using var connection = Connect();
        using var command = Command(connection, """
            SELECT template_id, subject_id, key_version, created_utc, sealed FROM templates
            WHERE tenant_id = $tenant AND pack_id = $pack AND ($subject IS NULL OR subject_id = $subject)
            ORDER BY subject_id, created_utc, template_id
            """, ("$tenant", tenant.Value), ("$pack", pack.Value), ("$subject", (object?)subject?.Value ?? DBNull.Value));
        return ReadAll(command, reader => new SealedTemplate(
            new TemplateId(reader.GetString(0)), tenant, new SubjectId(reader.GetString(1)), pack,
            reader.GetInt32(2), ParseTimestamp(reader.GetString(3)), (byte[])reader.GetValue(4)));
    }

    public void Dispose()
    {
        // Folds the WAL back into the database and truncates it, so deleted records do not linger there.
        try
        {
            using var connection = Connect();
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
        catch (SqliteException)
        {
            // Another connection (possibly another process) is busy; its checkpoint will do the same.
        }
        using var pooled = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(pooled);
    }

    private void CreateOrCheckSchema()
    {
        using var connection = Connect();
        Execute(connection, "PRAGMA journal_mode = WAL");
        using var transaction = connection.BeginTransaction();
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL) STRICT");
        using var read = Command(connection, "SELECT MAX(version) FROM schema_version");
        var found = read.ExecuteScalar() is long version ? (int)version : 0;
        if (found == 0)
        {
            Execute(connection, SchemaV1);
            Execute(connection, "INSERT INTO schema_version (version) VALUES ($version)", ("$version", SchemaVersion));
        }
        else if (found != SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The vault database has schema version {found}; this IntelliFace reads version {SchemaVersion}. Use a newer release.");
        }
        transaction.Commit();
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Deleted records are overwritten with zeros instead of lingering in free pages of the file.
        Execute(connection, "PRAGMA secure_delete = ON");
        return connection;
    }

    private static WrappedTenantKey? FindCurrentTenantKey(SqliteConnection connection, TenantId tenant)
    {
        using var command = Command(connection, """
            SELECT key_version, master_key_id, wrapped_key, created_utc FROM tenant_keys
            WHERE tenant_id = $tenant ORDER BY key_version DESC LIMIT 1
            """, ("$tenant", tenant.Value));
        return ReadAll(command, reader => ReadTenantKey(tenant, reader)).SingleOrDefault();
    }

    private static WrappedTenantKey ReadTenantKey(TenantId tenant, SqliteDataReader reader) =>
        new(tenant, reader.GetInt32(0), reader.GetString(1), (byte[])reader.GetValue(2), ParseTimestamp(reader.GetString(3)));

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    private static int Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static List<T> ReadAll<T>(SqliteCommand command, Func<SqliteDataReader, T> read)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(read(reader));
        return rows;
    }

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTimestamp(string value) =>
        DateTimeOffset.ParseExact(value, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
