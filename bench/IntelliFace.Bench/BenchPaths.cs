namespace IntelliFace.Bench;

/// <summary>Where the repository and the read-only <c>../shared</c> data folder are.</summary>
internal static class BenchPaths
{
    /// <summary>The folder holding <c>IntelliFace.slnx</c>, found above the bench binaries.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary><c>../shared</c> next to the repository, or <c>INTELLIFACE_SHARED</c> when set (as in the tests).</summary>
    public static string Shared
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("INTELLIFACE_SHARED");
            return string.IsNullOrEmpty(configured)
                ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"))
                : Path.GetFullPath(configured);
        }
    }

    public static string SharedPath(params string[] parts) => Path.Combine([Shared, .. parts]);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IntelliFace.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("Cannot find the repository root (IntelliFace.slnx) above the bench binaries.");
    }
}
