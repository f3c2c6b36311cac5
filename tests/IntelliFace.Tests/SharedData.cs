namespace IntelliFace.Tests;

/// <summary>Locates the read-only <c>../shared</c> folder (faces, goldens, models) relative to the repository root.</summary>
internal static class SharedData
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("INTELLIFACE_SHARED");
        if (!string.IsNullOrEmpty(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IntelliFace.slnx")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
        }
        throw new InvalidOperationException("Cannot find the repository root (IntelliFace.slnx) above the test binaries.");
    }
}
