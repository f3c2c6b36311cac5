namespace IntelliFace.Vault;

/// <summary>
/// Where the vault keeps its data and where the master key file lives. The defaults put them in different
/// folders on purpose, so a copy or backup of the data folder does not carry the key that opens it:
/// <list type="bullet">
/// <item>data: <c>INTELLIFACE_DATA</c>, else <c>$XDG_DATA_HOME/intelliface</c>, else <c>~/.local/share/intelliface</c>
/// (Windows: <c>%LOCALAPPDATA%\IntelliFace</c>);</item>
/// <item>key file: <c>INTELLIFACE_MASTER_KEY_FILE</c>, else <c>$XDG_CONFIG_HOME/intelliface/master.key</c>, else
/// <c>~/.config/intelliface/master.key</c> (Windows: <c>%APPDATA%\IntelliFace\master.key</c>).</item>
/// </list>
/// </summary>
public sealed record VaultPaths(string DataDirectory, string MasterKeyFile)
{
    public const string DataVariable = "INTELLIFACE_DATA";
    public const string MasterKeyFileVariable = "INTELLIFACE_MASTER_KEY_FILE";
    public const string DatabaseFileName = VaultLocation.VaultFileName;

    /// <summary>When set, the vault lives on PostgreSQL at this connection string instead of SQLite files in the data folder.</summary>
    public const string PostgresVariable = "INTELLIFACE_POSTGRES";

    /// <summary>The key store's PostgreSQL connection string; defaults to <see cref="PostgresVariable"/>'s.</summary>
    public const string PostgresKeyStoreVariable = "INTELLIFACE_POSTGRES_KEYS";

    public string DatabaseFile => Path.Combine(DataDirectory, DatabaseFileName);

    public static VaultPaths FromEnvironment() => Resolve(Environment.GetEnvironmentVariable, OperatingSystem.IsWindows());

    internal static VaultPaths Resolve(Func<string, string?> readVariable, bool windows)
    {
        var data = NonEmpty(readVariable(DataVariable)) is { } dataVariable ? Path.GetFullPath(dataVariable) : null;
        var keyFile = NonEmpty(readVariable(MasterKeyFileVariable)) is { } keyFileVariable ? Path.GetFullPath(keyFileVariable) : null;
        if (windows)
        {
            data ??= Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "IntelliFace");
            keyFile ??= Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "IntelliFace", "master.key");
        }
        else
        {
            var home = NonEmpty(readVariable("HOME")) ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var dataHome = RootedOrNull(readVariable("XDG_DATA_HOME")) ?? Path.Combine(home, ".local", "share");
            var configHome = RootedOrNull(readVariable("XDG_CONFIG_HOME")) ?? Path.Combine(home, ".config");
            data ??= Path.Combine(dataHome, "intelliface");
            keyFile ??= Path.Combine(configHome, "intelliface", "master.key");
        }
        return new VaultPaths(data, keyFile);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    // The XDG base directory spec says relative values are invalid and must be ignored.
    private static string? RootedOrNull(string? value) => NonEmpty(value) is { } path && Path.IsPathRooted(path) ? path : null;
}
