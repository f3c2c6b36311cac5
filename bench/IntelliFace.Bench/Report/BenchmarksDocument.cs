using IntelliFace.Bench.Lfw;
using IntelliFace.Bench.Stages;

namespace IntelliFace.Bench.Report;

/// <summary>BENCHMARKS.md: the machine, every measurement of one run, and how to read them.</summary>
internal static class BenchmarksDocument
{
    public static string Render(MachineInfo machine, RunContext run, LfwSection.LfwRun lfw, StagesResult stages, PackComparisonResult packs)
    {
        var lines = new List<string>
        {
            "# Benchmarks",
            "",
            $"Written by `{run.Command}` on {run.StartedUtc:yyyy-MM-dd HH:mm} UTC (commit `{run.Commit}`, {run.Duration.TotalMinutes:F0} min). "
                + "Every number below was measured in that run; run the command again to refresh this file. "
                + "No photo, embedding or key is written anywhere by the benchmarks (photos and embeddings stay in memory; the vault benchmark seals random vectors).",
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
        return string.Join('\n', lines) + "\n";
    }
}

/// <summary>Facts about one <c>report</c> run.</summary>
internal sealed record RunContext(string Command, string Commit, DateTimeOffset StartedUtc, TimeSpan Duration, string LoadAtStart, string LoadAtEnd);
