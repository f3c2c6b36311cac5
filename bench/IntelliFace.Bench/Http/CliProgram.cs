using System.Diagnostics;
using IntelliFace.Models;
using IntelliFace.Vault;

namespace IntelliFace.Bench.Http;

/// <summary>
/// The <c>intelliface</c> CLI built in the same configuration as the bench, started as the README does
/// (<c>dotnet intelliface.dll</c>) on the bench's vault, key file and pack.
/// </summary>
internal sealed class CliProgram(string assembly, string dataFolder, string keyFile)
{
    public const string ApiKeyVariable = "INTELLIFACE_API_KEY";

    /// <summary>Variables that would send the CLI to another vault, key or pack than the bench's.</summary>
    private static readonly string[] Cleared =
    [
        VaultPaths.PostgresVariable, VaultPaths.PostgresKeyStoreVariable, EnvironmentMasterKeyProvider.VariableName, PackManifest.PackVariable, ApiKeyVariable,
    ];

    public static CliProgram Locate(string dataFolder, string keyFile)
    {
        var binaries = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var configuration = binaries.Parent?.Name ?? "Release";
        var assembly = Path.Combine(BenchPaths.RepositoryRoot, "src", "IntelliFace.Cli", "bin", configuration, binaries.Name, "intelliface.dll");
        if (!File.Exists(assembly))
            throw new InvalidOperationException($"The CLI is not built at {assembly}: dotnet build src/IntelliFace.Cli -c {configuration} (./bench/run.sh does).");
        return new CliProgram(assembly, dataFolder, keyFile);
    }

    /// <param name="apiKey">Set as <see cref="ApiKeyVariable"/> when given; the CLI acts as the local administrator otherwise.</param>
    public ProcessStartInfo StartInfo(IEnumerable<string> command, string? apiKey = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[assembly, "--data", dataFolder, "--key-file", keyFile, "--pack", PackManifest.DefaultPackName, "--json", .. command])
            start.ArgumentList.Add(argument);
        foreach (var variable in Cleared) start.Environment.Remove(variable);
        if (apiKey is not null) start.Environment[ApiKeyVariable] = apiKey;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        return start;
    }

    /// <summary>Runs one command to its end: the wall time from start to exit. Any exit code but 0 is an error.</summary>
    public TimeSpan Run(IEnumerable<string> command, string apiKey)
    {
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(StartInfo(command, apiKey)) ?? throw new InvalidOperationException("dotnet could not be started.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"intelliface {string.Join(' ', command)} exited with {process.ExitCode}: {output.Trim()} {error.GetAwaiter().GetResult().Trim()}");
        return elapsed;
    }
}
