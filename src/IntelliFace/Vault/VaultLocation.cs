using IntelliFace.Vault.Storage;

namespace IntelliFace.Vault;

/// <summary>
/// Where the vault keeps its two databases (SQLite files, or PostgreSQL): the vault database (tenants, subjects, sealed templates, audit
/// log, credentials) and the key store (wrapped keys). They are separate so a backup of the first never
/// carries the keys that open it, and so erasing a key is final even where old copies of templates survive.
/// </summary>
public sealed class VaultLocation
{
    public const string VaultFileName = "vault.db";
    public const string KeyStoreFileName = "keys.db";

    private readonly Func<(SqlDatabase Vault, SqlDatabase Keys)> _open;

    private VaultLocation(string description, Func<(SqlDatabase, SqlDatabase)> open)
    {
        Description = description;
        _open = open;
    }

    /// <summary>Where the data is, for messages (never a password).</summary>
    public string Description { get; }

    /// <summary>SQLite files <c>vault.db</c> and <c>keys.db</c> in <paramref name="dataDirectory"/>, created owner-only when missing.</summary>
    public static VaultLocation SqliteFolder(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var folder = Path.GetFullPath(dataDirectory);
        return new VaultLocation(folder, () =>
        {
            if (!Directory.Exists(folder))
            {
                if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
                else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var vault = SqlDatabase.OpenSqliteFile(Path.Combine(folder, VaultFileName));
            try
            {
                return (vault, SqlDatabase.OpenSqliteFile(Path.Combine(folder, KeyStoreFileName)));
            }
            catch
            {
                vault.Dispose();
                throw;
            }
        });
    }

    /// <summary>
    /// A PostgreSQL server: the vault database at <paramref name="connectionString"/>, the key store at
    /// <paramref name="keyStoreConnectionString"/>. Give the key store its own database (or server) so backups of
    /// the vault database never hold the keys; when null it shares the vault's database, and erasure is then
    /// final only once backups of that database older than the erasure are gone.
    /// </summary>
    public static VaultLocation Postgres(string connectionString, string? keyStoreConnectionString = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new VaultLocation(SqlDatabase.DescribePostgres(connectionString), () =>
        {
            var vault = SqlDatabase.OpenPostgres(connectionString);
            try
            {
                return (vault, SqlDatabase.OpenPostgres(keyStoreConnectionString ?? connectionString));
            }
            catch
            {
                vault.Dispose();
                throw;
            }
        });
    }

    internal (SqlDatabase Vault, SqlDatabase Keys) OpenDatabases() => _open();

    public override string ToString() => Description;
}
