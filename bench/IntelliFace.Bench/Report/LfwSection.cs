using IntelliFace.Bench.Lfw;
using static IntelliFace.Bench.Report.Markdown;

namespace IntelliFace.Bench.Report;

/// <summary>The LFW results as Markdown (also what the <c>lfw</c> command prints).</summary>
internal static class LfwSection
{
    /// <summary>A table comparing the packs, the ROC chart, the packs that were not measured, then each pack in detail.</summary>
    public static IEnumerable<string> Lines(LfwRun run)
    {
        yield return Header("pack", "id", " 5-fold accuracy ± std", " TAR @ FAR 1e-3", " threshold (all folds)", " failures to detect", " images/s");
        foreach (var r in run.Results)
            yield return Row($"`{r.PackName}`", $"`{r.Pack}`", $"**{Percent(r.MeanAccuracy)} ± {Percent(r.AccuracyStdDev)}**", Percent(r.TarAtFar.Tar),
                Threshold(r.FinalThreshold), $"{r.Failures} of {r.Images:N0}", Number(r.Images / r.EmbeddingTime.TotalSeconds, "F1"));
        yield return "";
        foreach (var line in Verdicts(run.Results)) yield return line;
        foreach (var skipped in run.NotInstalled)
            yield return $"- `{skipped}`: not installed on this machine, so not measured (`intelliface models install {skipped}`, or `models import` its files).";
        if (run.NotInstalled.Count > 0) yield return "";
        if (run.RocChart is { } chart)
        {
            yield return $"![ROC curves on lfw-dev]({chart})";
            yield return "";
        }

        foreach (var r in run.Results)
        {
            yield return $"### `{r.PackName}`";
            yield return "";
            foreach (var line in Lines(r)) yield return line;
            yield return "";
        }
    }

    /// <summary>
    /// Each other pack against the default one, by the rule a pack ships by: at least the default
    /// pack's 5-fold accuracy at no more than half its cost (measured here as images per second).
    /// </summary>
    private static IEnumerable<string> Verdicts(IReadOnlyList<LfwResult> results)
    {
        var reference = results.FirstOrDefault(r => r.PackName == IntelliFace.Models.PackManifest.DefaultPackName);
        if (reference is null) yield break;
        double Speed(LfwResult r) => r.Images / r.EmbeddingTime.TotalSeconds;
        foreach (var r in results.Where(r => r != reference))
        {
            var accuracy = (r.MeanAccuracy - reference.MeanAccuracy) * 100;
            var speed = Speed(r) / Speed(reference);
            var ships = r.MeanAccuracy >= reference.MeanAccuracy && speed >= 2;
            yield return $"- `{r.PackName}` against `{reference.PackName}`: {Number(accuracy, "+0.00;-0.00")} points of 5-fold accuracy, "
                + $"{Number((r.TarAtFar.Tar - reference.TarAtFar.Tar) * 100, "+0.00;-0.00")} points of TAR @ FAR 1e-3, {Ratio(speed)} its images per second: "
                + (ships ? "**as accurate at a fraction of the cost, so it ships.**" : "**not as accurate, or not cheaper enough: it would not ship.**");
        }

        yield return "";
    }

    public static IEnumerable<string> Lines(LfwResult r)
    {
        var tar = r.TarAtFar;
        yield return $"Pack `{r.Pack}` on `../shared/faces/lfw-dev`: {r.Pairs:N0} pairs ({r.Folds.Count} folds), {r.Images:N0} distinct images, "
            + $"each embedded once with `FacePipeline.Embed(bytes, FaceSelection.Largest)` on {r.Workers} workers sharing one pack "
            + $"({r.EmbeddingTime.TotalSeconds:F0} s, {Number(r.Images / r.EmbeddingTime.TotalSeconds, "F1")} images/s). "
            + "Same person when cosine similarity >= threshold.";
        yield return "";
        yield return Header("", " value");
        yield return Row($"{r.Folds.Count}-fold accuracy (threshold fitted on the other folds), mean ± std", $"**{Percent(r.MeanAccuracy)} ± {Percent(r.AccuracyStdDev)}**");
        yield return Row($"final threshold (fitted on all folds) → `{r.PackName}.json`", $"**{Threshold(r.FinalThreshold)}**");
        yield return Row("accuracy of the final threshold on all pairs", Percent(r.FinalThresholdAccuracy));
        yield return Row("accuracy on the pairs where both photos gave an embedding", $"{Percent(r.AccuracyWithoutFailures)} ({r.Pairs - r.PairsWithFailure:N0} pairs)");
        yield return Row($"TAR @ FAR {tar.TargetFar:0e0} (all pairs)", $"{Percent(tar.Tar)} (cosine > {Threshold(tar.Threshold)}; {tar.FalseAccepts} of {tar.Impostors:N0} impostor pairs accepted)");
        yield return Row("failures to detect (images without a usable face)", $"{r.Failures} of {r.Images:N0} ({FailureCodes(r)}) → {r.PairsWithFailure} pairs count as \"not same\"");
        yield return Row($"face-api's usual rule: Euclidean distance < {LfwResult.EuclideanThreshold} (unnormalised, no fitting)", Percent(r.EuclideanAccuracy));
        yield return "";
        yield return Header("held-out fold", " threshold (fitted on the other folds)", " accuracy");
        foreach (var fold in r.Folds)
            yield return Row(fold.Fold, Threshold(fold.Threshold), Percent(fold.Accuracy));
    }

    /// <param name="RocChart">The chart's path relative to BENCHMARKS.md, when one was drawn.</param>
    internal sealed record LfwRun(IReadOnlyList<LfwResult> Results, IReadOnlyList<string> NotInstalled, string? RocChart);

    private static string FailureCodes(LfwResult r) =>
        r.Failures == 0 ? "none" : string.Join(", ", r.FailuresByCode.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"`{f.Key}` {f.Value}"));
}
