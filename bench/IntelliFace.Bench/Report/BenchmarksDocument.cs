using IntelliFace.Bench.Lfw;
using IntelliFace.Bench.Stages;
using IntelliFace.Bench.Vault;

namespace IntelliFace.Bench.Report;

/// <summary>
/// BENCHMARKS.md: the machine, every measurement of one <c>report</c> run, and how to read them, followed by the
/// sections that commands of their own write (<see cref="KeptHeadings"/>), carried over as they stand in the file.
/// </summary>
internal static class BenchmarksDocument
{
    /// <summary>Sections that <c>report</c> does not measure: it keeps them from the file it rewrites, in this order.</summary>
    public static readonly IReadOnlyList<string> KeptHeadings = [VaultBenchmark.Heading, HttpSection.Heading];

    /// <param name="previous">The file being replaced, if any: its kept sections are carried over.</param>
    public static string Render(MachineInfo machine, RunContext run, LfwSection.LfwRun lfw, StagesResult stages, PackComparisonResult packs, string? previous)
    {
        var lines = new List<string>
        {
            "# Benchmarks",
            "",
            $"Written by `{run.Command}` on {run.StartedUtc:yyyy-MM-dd HH:mm} UTC (commit `{run.Commit}`, {run.Duration.TotalMinutes:F0} min). "
                + "Every number below was measured in that run, except in the sections written by commands of their own (vault, HTTP service), which say when they were measured; run the command again to refresh this file. "
                + "No photo is written anywhere by the benchmarks. Embeddings stay in memory, except in throw-away vaults in temporary folders: the vault benchmark seals random vectors, the pack comparison's enrollment and the HTTP benchmark seal the embeddings of the photos they enroll; the HTTP benchmark's master key file lives there too, and every such folder is deleted at the end.",
            "",
            "## Machine",
            "",
            $"- CPU: {machine.Cpu}, {machine.LogicalCores} logical cores",
            $"- RAM: {machine.Memory}",
            $"- OS: {machine.Os}",
            $"- .NET: {machine.DotNet}; ONNX Runtime {machine.OnnxRuntime}; Node {machine.Node}",
            $"- load average (1, 5, 15 min) at start: {run.LoadAtStart}; at end: {run.LoadAtEnd}. The machine is shared: other builds may run alongside.",
            "",
            "## How to read",
            "",
            "- All times are medians in milliseconds; a noisy shared machine moves single samples a lot, medians little. Compare ratios measured in the same run rather than absolute numbers across runs.",
            "- *Total pipeline* is what one photo costs from its encoded bytes to the embeddings of all its faces, as face-api's call does; the seal and the database write come on top only when a template is stored (enrollment).",
            "- *2 workers* means two photos in flight over one shared set of sessions on this 2-core machine; throughput should approach 2x of one worker while per-stage times grow a little.",
            "- *face-api / ours* compares the reference JavaScript implementation (tfjs wasm, one thread) with our 1-worker run on the same PNGs; above 1 means we are faster. The reference's first image also pays its first-inference warm-up (ours had an untimed warm-up pass), and its script copies each network input once for its golden files; both weigh little against its per-image times.",
            "- *Embed overhead* is what our embed stage costs beyond ONNX Runtime's own `Run` on the same face: preparing the 150 × 150 input, copying it in and the result out, wiping buffers. It is judged on thread CPU time, which background load barely moves; wall time is shown beside it.",
            "- *LFW accuracy* is verification accuracy on the 3,000 labelled pairs: the threshold is fitted on 4 folds and tested on the 5th, then refitted on all 5 for the pack. Photos without a usable face count as a \"not same\" answer, so failures to detect cost accuracy on genuine pairs. TAR @ FAR 1e-3 rests on 1,500 impostor pairs: it allows a single false accept, so it is coarse.",
            "",
            "## Pipeline stages of the default pack",
            "",
        };
        lines.AddRange(StagesSection.Lines(stages));
        lines.Add("");
        lines.Add("## Model packs compared");
        lines.Add("");
        lines.AddRange(PackComparisonSection.Lines(packs));
        lines.Add("");
        lines.Add("## LFW accuracy and threshold per pack");
        lines.Add("");
        lines.AddRange(LfwSection.Lines(lfw));
        var text = Lines(string.Join('\n', lines));
        foreach (var heading in KeptHeadings)
        {
            if (previous is not null && Find(Lines(previous), heading) is { } kept) text = Replace(text, heading, kept);
        }
        return string.Join('\n', text) + "\n";
    }

    /// <summary>Replaces the section under <paramref name="section"/>'s heading (its first line) in the file, or appends it;
    /// the rest of the file stays as it is.</summary>
    public static void WriteSection(string path, IReadOnlyList<string> section)
    {
        var text = File.Exists(path) ? Lines(File.ReadAllText(path)) : ["# Benchmarks"];
        Write(path, string.Join('\n', Replace(text, section[0], section)) + "\n");
    }

    /// <summary>Writes through a temporary file, so a reader never sees half a document.</summary>
    public static void Write(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    private static List<string> Lines(string text) => text.TrimEnd('\n').Split('\n').ToList();

    /// <summary>The lines from <paramref name="heading"/> up to the next heading of its level, trailing blank lines left out.</summary>
    private static IReadOnlyList<string>? Find(List<string> lines, string heading)
    {
        var start = lines.IndexOf(heading);
        if (start < 0) return null;
        var end = lines.FindIndex(start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        var section = lines.GetRange(start, (end < 0 ? lines.Count : end) - start);
        while (section.Count > 1 && section[^1].Length == 0) section.RemoveAt(section.Count - 1);
        return section;
    }

    private static List<string> Replace(List<string> lines, string heading, IReadOnlyList<string> section)
    {
        var replaced = new List<string>(lines);
        if (Find(lines, heading) is { } old)
        {
            var start = lines.IndexOf(heading);
            replaced.RemoveRange(start, old.Count);
            replaced.InsertRange(start, section);
        }
        else
        {
            if (replaced.Count > 0 && replaced[^1].Length > 0) replaced.Add("");
            replaced.AddRange(section);
        }
        return replaced;
    }
}

/// <summary>Facts about one <c>report</c> run.</summary>
internal sealed record RunContext(string Command, string Commit, DateTimeOffset StartedUtc, TimeSpan Duration, string LoadAtStart, string LoadAtEnd)
{
    /// <summary>The checked-out commit, marked when tracked files differ from it.</summary>
    public static string CurrentCommit()
    {
        var commit = MachineInfo.CommandOutput("git", "-C", BenchPaths.RepositoryRoot, "rev-parse", "--short", "HEAD") ?? "unknown";
        if (MachineInfo.CommandOutput("git", "-C", BenchPaths.RepositoryRoot, "status", "--porcelain", "--untracked-files=no") is { Length: > 0 })
            commit += " + uncommitted changes";
        return commit;
    }
}
