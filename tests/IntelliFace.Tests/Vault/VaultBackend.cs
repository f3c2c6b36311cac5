using IntelliFace.Vault;
using IntelliFace.Vault.Storage;

namespace IntelliFace.Tests.Vault;

/// <summary>
/// A fresh, empty vault location on one database engine, for one test, removed afterwards. Tests that take a
/// backend name run once per engine in <see cref="Names"/>, so the vault's behaviour is one suite for all.
/// </summary>
internal sealed class VaultBackend : IDisposable
{
    public const string Sqlite = "sqlite";

    private readonly TestDirectory _directory = new();

    private VaultBackend(string name)
    {
        Name = name;
        Location = name switch
        {
            Sqlite => VaultLocation.SqliteFolder(_directory.File("data")),
            _ => throw new ArgumentException($"Unknown test backend '{name}'.", nameof(name)),
        };
    }

    /// <summary>The engines every backend test runs on.</summary>
    public static TheoryData<string> Names => new(Sqlite);

    public string Name { get; }

    public VaultLocation Location { get; }

    /// <summary>A folder for the test's other files (key files, snapshots).</summary>
    public TestDirectory Directory => _directory;

    public static VaultBackend Create(string name) => new(name);

    /// <summary>The environment that points the real <c>intelliface</c> program at this location, with the master key
    /// given as base64 in <c>INTELLIFACE_MASTER_KEY</c>.</summary>
    public Dictionary<string, string> CliEnvironment(string masterKeyBase64) => Name switch
    {
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

    public void Dispose() => _directory.Dispose();

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
