using IntelliFace.Vault;
using IntelliFace.Vault.Storage;
using Npgsql;

namespace IntelliFace.Tests.Vault;

/// <summary>
/// A fresh, empty vault location on one database engine, for one test, removed afterwards. Tests that take a
/// backend name run once per engine in <see cref="Names"/>, so the vault's behaviour is one suite for all.
/// PostgreSQL runs when <c>INTELLIFACE_TEST_POSTGRES</c> holds a connection string (each test gets its own two
/// schemas, dropped afterwards); under CI (<c>CI=true</c>) it is expected, and its tests fail rather than skip
/// when the variable is missing.
/// </summary>
internal sealed class VaultBackend : IDisposable
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string PostgresVariable = "INTELLIFACE_TEST_POSTGRES";

    private readonly TestDirectory _directory = new();
    private readonly string? _schema;

    private VaultBackend(string name)
    {
        Name = name;
        if (name == Sqlite)
        {
            Location = VaultLocation.SqliteFolder(_directory.File("data"));
            return;
        }
        if (name != Postgres) throw new ArgumentException($"Unknown test backend '{name}'.", nameof(name));

        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
            throw new InvalidOperationException($"CI expects the PostgreSQL tests to run: set {PostgresVariable} to a connection string (.ci/run does).");
        _schema = "t" + Guid.NewGuid().ToString("N")[..16];
        ServerSql($"CREATE SCHEMA {_schema}_vault; CREATE SCHEMA {_schema}_keys");
        VaultConnectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = $"{_schema}_vault" }.ToString();
        KeyStoreConnectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = $"{_schema}_keys" }.ToString();
        Location = VaultLocation.Postgres(VaultConnectionString, KeyStoreConnectionString);
    }

    /// <summary>The engines every backend test runs on.</summary>
    public static TheoryData<string> Names
    {
        get
        {
            var names = new TheoryData<string>(Sqlite);
            if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresVariable)) || Environment.GetEnvironmentVariable("CI") == "true")
                names.Add(Postgres);
            return names;
        }
    }

    private string? VaultConnectionString { get; }

    private string? KeyStoreConnectionString { get; }

    public string Name { get; }

    public VaultLocation Location { get; }

    /// <summary>A folder for the test's other files (key files, snapshots).</summary>
    public TestDirectory Directory => _directory;

    public static VaultBackend Create(string name) => new(name);

    /// <summary>The environment that points the real <c>intelliface</c> program at this location, with the master key
    /// given as base64 in <c>INTELLIFACE_MASTER_KEY</c>.</summary>
    public Dictionary<string, string> CliEnvironment(string masterKeyBase64) => Name switch
    {
        Postgres => new Dictionary<string, string>
        {
            [VaultPaths.PostgresVariable] = VaultConnectionString!,
            [VaultPaths.PostgresKeyStoreVariable] = KeyStoreConnectionString!,
            [EnvironmentMasterKeyProvider.VariableName] = masterKeyBase64,
        },
        _ => new Dictionary<string, string>
        {
            ["INTELLIFACE_DATA"] = _directory.File("data"),
            [EnvironmentMasterKeyProvider.VariableName] = masterKeyBase64,
        },
    };

    public TemplateVault Open(byte masterKeyFill = 0x11) => TemplateVault.Open(Location, new FixedMasterKeyProvider(masterKeyFill));

    public TemplateVault Open(TimeProvider time) => TemplateVault.Open(Location, new FixedMasterKeyProvider(0x11), time);

    /// <summary>Runs SQL on the vault database (tenants, subjects, templates, audit) and returns the first column of the first row.</summary>
    public object? VaultSql(string sql, params (string Name, object? Value)[] parameters) => WithDatabase(vault: true, sql, parameters);

    /// <summary>Runs SQL on the key store.</summary>
    public object? KeySql(string sql, params (string Name, object? Value)[] parameters) => WithDatabase(vault: false, sql, parameters);

    /// <summary>A count or other integer the SQL returns, the same type on every engine.</summary>
    public long VaultCount(string sql, params (string Name, object? Value)[] parameters) => Convert.ToInt64(VaultSql(sql, parameters));

    public long KeyCount(string sql, params (string Name, object? Value)[] parameters) => Convert.ToInt64(KeySql(sql, parameters));

    /// <summary>The tables (of the vault database, or the key store) in which any text or bytes of any row contain
    /// <paramref name="text"/>.</summary>
    public IReadOnlyList<string> TablesContaining(string text, bool keyStore = false)
    {
        var (vaultDatabase, keyDatabase) = Location.OpenDatabases();
        try
        {
            var database = keyStore ? keyDatabase : vaultDatabase;
            var tables = database.Read(session => session.Query(
                database.Engine == SqlEngine.Sqlite
                    ? "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                    : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name",
                reader => reader.GetString(0)));
            var needle = System.Text.Encoding.UTF8.GetBytes(text);
            return tables.Where(table => database.Read(session => session.Query($"SELECT * FROM {table}", reader =>
                Enumerable.Range(0, reader.FieldCount).Any(i => reader.GetValue(i) switch
                {
                    string value => value.Contains(text, StringComparison.Ordinal),
                    byte[] bytes => bytes.AsSpan().IndexOf(needle) >= 0,
                    _ => false,
                }))).Any(found => found)).ToArray();
        }
        finally
        {
            vaultDatabase.Dispose();
            keyDatabase.Dispose();
        }
    }

    public void Dispose()
    {
        if (_schema is not null)
        {
            NpgsqlConnection.ClearAllPools();
            ServerSql($"DROP SCHEMA {_schema}_vault CASCADE; DROP SCHEMA {_schema}_keys CASCADE");
        }
        _directory.Dispose();
    }

    private static void ServerSql(string sql)
    {
        using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable(PostgresVariable));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private object? WithDatabase(bool vault, string sql, (string Name, object? Value)[] parameters)
    {
        var (vaultDatabase, keyDatabase) = Location.OpenDatabases();
        try
        {
            return (vault ? vaultDatabase : keyDatabase).Write(session => session.Scalar(sql, parameters));
        }
        finally
        {
            vaultDatabase.Dispose();
            keyDatabase.Dispose();
        }
    }
}
