using IntelliFace.Bench.Stages;
using static IntelliFace.Bench.Report.Markdown;

namespace IntelliFace.Bench.Report;

/// <summary>The <c>stages</c> results as Markdown (also what the <c>stages</c> command prints).</summary>
internal static class StagesSection
{
    private static readonly (Stage Stage, string Name, string Per)[] Rows =
    [
        (Stage.Decode, "decode (`ImageIntake.Decode`, PNG → RGB)", "image"),
        (Stage.Detect, "detect (SSD MobileNet v1, 512 × 512)", "image"),
        (Stage.Landmarks, "landmarks (68-point net + dlib crop)", "face"),
        (Stage.Embed, "embed (crop, pad, resize 150 × 150, recognition net)", "face"),
        (Stage.Seal, "seal (`TemplateSeal` under a subject key, AES-256-GCM, in memory)", "face"),
        (Stage.Total, "**total pipeline** (decode → last embedding, all faces; no seal)", "image"),
    ];

    public static IEnumerable<string> Lines(StagesResult r)
    {
        var one = r.Run(1);
        var two = r.Run(2);
        var faces = r.FacesByImage.Values.Sum();
        yield return $"{r.Images.Count} golden PNGs (`../shared/golden/faceapi/inputs`, {SizeRange(r)}, {faces} faces), "
            + $"{r.Passes} timed passes after one warm-up pass; 1 and 2 workers alternate pass by pass. "
            + "Each network is one ONNX Runtime session with 1 intra-op thread, shared by the workers. Medians of all samples, in ms.";
        yield return "";
        yield return Header("stage", "per", " samples (1 worker)", " median, 1 worker", " median, 2 workers");
        foreach (var (stage, name, per) in Rows)
            yield return Row(name, per, one.Stages[stage].Count, Ms(one.Stages[stage].Median), Ms(two.Stages[stage].Median));
        yield return Row("**throughput** (median over passes)", "images/s", r.Passes, Number(one.MedianImagesPerSecond, "F2"), Number(two.MedianImagesPerSecond, "F2"));
        yield return "";
        yield return $"2 workers: {Ratio(two.MedianImagesPerSecond / one.MedianImagesPerSecond)} the throughput of 1 worker. "
            + $"Load average (1 min) when the stage passes began: {r.LoadAtStart}, when they ended: {r.LoadAtEnd}; "
            + "with other work on the 2 cores, the second worker finds no free core and the ratio drops towards 1.";
        yield return "";

        yield return "### Embed stage vs bare ONNX Runtime";
        yield return "";
        var e = r.Embed;
        yield return $"`InferenceSession.Run` alone (same graph and session options, input tensor prepared beforehand, output preallocated) "
            + $"against our embed stage (`FaceRecognitionNet.Describe`: crop, pad, resize, copy in, run, copy out, wipe), "
            + $"{e.Samples} alternating calls over all {faces} golden faces, 1 thread. Thread CPU time is counted as well as wall time: "
            + "it does not grow while other processes hold the core, so the goal is judged on it.";
        yield return "";
        yield return Header("median ms", " wall", " thread CPU");
        yield return Row("bare `InferenceSession.Run`", Ms(e.Wall.BareRunMs), CpuMs(e, c => c.BareRunMs));
        yield return Row("our embed stage", Ms(e.Wall.EmbedStageMs), CpuMs(e, c => c.EmbedStageMs));
        yield return Row("of which crop, pad and resize (`NetInputTensor`)", Ms(e.Wall.CropResizeMs), CpuMs(e, c => c.CropResizeMs));
        yield return Row("extra time of our stage (median of back-to-back pairs)", Ms(e.Wall.PairedExtraMs), CpuMs(e, c => c.PairedExtraMs));
        yield return Row($"**overhead** = extra / bare (goal ≤ {EmbedOverhead.GoalPercent:F0} %)",
            Number(e.Wall.OverheadPercent, "F1") + " %", e.Cpu is null ? "n/a" : $"**{Number(e.Cpu.OverheadPercent, "F1")} %**");
        yield return "";

        yield return "### Vault write";
        yield return "";
        yield return $"A throw-away SQLite vault in a temporary folder, random in-memory master key, random vectors (not faces); {r.Vault.Samples} templates.";
        yield return "";
        yield return Header("", " median ms");
        yield return Row("seal one embedding under a subject key (`TemplateSeal.Seal`, from the stage run above)", Ms(one.Stages[Stage.Seal].Median));
        yield return Row("insert of one sealed template into the vault database (own transaction, WAL)", Ms(r.Vault.InsertMs));
        yield return Row("`TemplateVault.AddTemplate`, subject already has a key (unwrap key, seal, insert)", Ms(r.Vault.AddToKnownSubjectMs));
        yield return Row("`TemplateVault.AddTemplate`, new subject (make, wrap and store its key too)", Ms(r.Vault.AddToNewSubjectMs));

        foreach (var line in ReferenceLines(r)) yield return line;
    }

    private static IEnumerable<string> ReferenceLines(StagesResult r)
    {
        yield return "";
        yield return "### Against face-api (reference)";
        yield return "";
        if (r.Reference is not { } reference)
        {
            yield return "Not run (`--reference-runs 0`).";
            yield break;
        }

        var one = r.Run(1);
        yield return $"`node generate.mjs` of `../shared/tools/faceapi-golden` ({reference.Banner.Split(" init+load")[0]}; Node {reference.NodeVersion}) on the same PNGs, "
            + $"{reference.Runs.Count} runs, median per image of its own `decode` + `detect+landmarks+descriptors` timings (whole ms). "
            + "Single-threaded wasm, so compared with our 1-worker run (1 intra-op thread).";
        yield return "";
        yield return Header("image", " size", " faces (ours / face-api)", " face-api decode", " face-api detect+landmarks+descriptors", " face-api total", " ours total", " face-api / ours");
        var ratios = new List<double>();
        foreach (var image in r.Images)
        {
            var ours = one.MedianTotalByImage[image];
            var theirs = reference.MedianTotalMs(image);
            ratios.Add(theirs / ours);
            var (width, height) = r.SizeByImage[image];
            yield return Row(image, $"{width} × {height}", $"{r.FacesByImage[image]} / {reference.Faces(image)}",
                Ms(reference.MedianDecodeMs(image)), Ms(reference.MedianRunMs(image)), Ms(theirs), Ms(ours), Ratio(theirs / ours));
        }

        var oursSum = r.Images.Sum(i => one.MedianTotalByImage[i]);
        var theirsSum = r.Images.Sum(reference.MedianTotalMs);
        yield return Row("**all images**", "", $"{r.FacesByImage.Values.Sum()} / {r.Images.Sum(reference.Faces)}",
            Ms(r.Images.Sum(reference.MedianDecodeMs)), Ms(r.Images.Sum(reference.MedianRunMs)), Ms(theirsSum), Ms(oursSum), $"**{Ratio(theirsSum / oursSum)}**");
        yield return "";
        yield return $"Whole pipeline, face-api / ours: **{Ratio(theirsSum / oursSum)}** over all images (goal ≥ 3x); "
            + $"median of the per-image ratios {Ratio(SampleSummary.Of(ratios).Median)}, lowest {Ratio(ratios.Min())}.";
    }

    private static string CpuMs(EmbedOverhead e, Func<CallTimes, double> value) => e.Cpu is null ? "n/a" : Ms(value(e.Cpu));

    private static string SizeRange(StagesResult r)
    {
        var sides = r.SizeByImage.Values.Select(s => Math.Max(s.Width, s.Height)).ToArray();
        return $"longer side {sides.Min()}–{sides.Max()} px";
    }
}
