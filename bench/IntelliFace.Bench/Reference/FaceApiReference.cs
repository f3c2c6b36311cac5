using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using IntelliFace.Bench.Stages;

namespace IntelliFace.Bench.Reference;

/// <summary>face-api's own timing of one photo, as <c>generate.mjs</c> prints it (whole milliseconds).</summary>
internal readonly record struct ReferenceTiming(double DecodeMs, double RunMs, int Faces)
{
    public double TotalMs => DecodeMs + RunMs;
}

/// <param name="Runs">Each run's timings by photo name.</param>
internal sealed record ReferenceResult(string NodeVersion, string Banner, IReadOnlyList<IReadOnlyDictionary<string, ReferenceTiming>> Runs)
{
    public double MedianTotalMs(string image) => SampleSummary.Of(Runs.Select(r => r[image].TotalMs)).Median;

    public double MedianDecodeMs(string image) => SampleSummary.Of(Runs.Select(r => r[image].DecodeMs)).Median;

    public double MedianRunMs(string image) => SampleSummary.Of(Runs.Select(r => r[image].RunMs)).Median;

    public int Faces(string image) => Runs[0][image].Faces;
}

/// <summary>
/// Runs the reference implementation (<c>../shared/tools/faceapi-golden</c>: face-api 1.7.15 on
/// tfjs's single-threaded wasm backend) on the same photos. The read-only tool is copied to
/// <c>~/.cache/intelliface/bench-faceapi/&lt;package-lock hash&gt;</c> and <c>npm ci</c> runs there
/// only when that folder has no complete install. Its outputs (which include descriptors and face
/// crops) go to a temporary folder, in memory where <c>/dev/shm</c> exists, deleted after each run.
/// </summary>
internal static partial class FaceApiReference
{
    public static ReferenceResult Run(string inputFolder, IReadOnlyCollection<string> expectedImages, int runs, TextWriter progress)
    {
        var tool = PrepareTool(progress);
        var results = new List<IReadOnlyDictionary<string, ReferenceTiming>>();
        var banner = "";
        for (var run = 0; run < runs; run++)
        {
            var output = CreateScratchFolder();
            try
            {
                var stdout = RunProcess("node", tool, ["generate.mjs", inputFolder, output.FullName]);
                var timings = Parse(stdout, out banner);
                var missing = expectedImages.Where(i => !timings.ContainsKey(i)).ToArray();
                if (missing.Length > 0) throw new InvalidOperationException($"face-api printed no timing for {string.Join(", ", missing)}.");
                results.Add(timings);
                progress.WriteLine($"reference: run {run + 1}/{runs} done ({timings.Values.Sum(t => t.TotalMs) / 1000:F1} s of photos)");
            }
            finally
            {
                output.Delete(recursive: true);
            }
        }

        return new ReferenceResult(RunProcess("node", tool, ["--version"]).Trim(), banner, results);
    }

    [GeneratedRegex(@"^(?<file>\S+\.png) \d+x\d+ decode (?<decode>\d+) ms, detect\+landmarks\+descriptors (?<run>\d+) ms, faces=(?<faces>\d+)", RegexOptions.Multiline)]
    private static partial Regex TimingLine();

    [GeneratedRegex(@"^face-api .*$", RegexOptions.Multiline)]
    private static partial Regex BannerLine();

    private static Dictionary<string, ReferenceTiming> Parse(string stdout, out string banner)
    {
        banner = BannerLine().Match(stdout).Value;
        return TimingLine().Matches(stdout).ToDictionary(
            m => m.Groups["file"].Value,
            m => new ReferenceTiming(
                double.Parse(m.Groups["decode"].Value, CultureInfo.InvariantCulture),
                double.Parse(m.Groups["run"].Value, CultureInfo.InvariantCulture),
                int.Parse(m.Groups["faces"].Value, CultureInfo.InvariantCulture)),
            StringComparer.Ordinal);
    }

    /// <summary>The tool's scripts copied into a cache folder keyed by its package-lock, with <c>npm ci</c> done once.</summary>
    private static string PrepareTool(TextWriter progress)
    {
        var source = BenchPaths.SharedPath("tools", "faceapi-golden");
        var lockHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(source, "package-lock.json"))))[..16];
        var folder = Path.Combine(CacheRoot(), "bench-faceapi", lockHash);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(source).Where(f => f.EndsWith(".mjs", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);

        var installed = Path.Combine(folder, "node_modules", ".intelliface-npm-ci-done");
        if (!File.Exists(installed))
        {
            progress.WriteLine($"reference: npm ci in {folder}");
            RunProcess("npm", folder, ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
            File.WriteAllText(installed, lockHash);
        }
        return folder;
    }

    private static string CacheRoot()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrWhiteSpace(cache))
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "intelliface");
    }

    /// <summary>An owner-only temporary folder, in memory (<c>/dev/shm</c>) where the system has one.</summary>
    private static DirectoryInfo CreateScratchFolder()
    {
        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        var path = Path.Combine(root, $"intelliface-bench-faceapi-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}");
        return OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(path)
            : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string RunProcess(string program, string workingDirectory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {stderr.Result.Trim()}");
        return stdout;
    }
}
