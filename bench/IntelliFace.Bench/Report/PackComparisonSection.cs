using IntelliFace.Bench.Stages;
using static IntelliFace.Bench.Report.Markdown;

namespace IntelliFace.Bench.Report;

/// <summary>The packs' steps and enrollment side by side, as Markdown.</summary>
internal static class PackComparisonSection
{
    public static IEnumerable<string> Lines(PackComparisonResult r)
    {
        yield return $"{r.LfwPhotos} LFW photos (250 × 250) and the {r.GoldenPhotos} face-api golden PNGs (up to 1280 px); "
            + $"one untimed pass, then {r.Passes} timed passes; 1 thread, one ONNX Runtime session per network; per-face steps on the largest face. Medians in ms.";
        yield return "";
        yield return Header("step", "per", " LFW 250 × 250", " golden PNGs");
        foreach (var step in r.Steps)
            yield return Row(step.Step, step.Per, Ms(step.LfwMs), Ms(step.GoldenMs));
        var ssd = r.Steps[0];
        var yunet = r.Steps[1];
        yield return "";
        yield return $"YuNet detects {Ratio(ssd.LfwMs / yunet.LfwMs)} faster than the SSD on LFW photos and {Ratio(ssd.GoldenMs / yunet.GoldenMs)} faster on the golden PNGs "
            + "(photos over 640 px are detected on a 640 px copy). The SFace embedder is timed only where its weights are installed.";
        yield return "";
        yield return "**Enrollment end to end** (`FaceRecognitionService.Enroll`: decode, detect, align, embed, seal, write to a throw-away SQLite vault; photos with one face):";
        yield return "";
        yield return Header("pack", "id", " LFW 250 × 250", " golden PNGs");
        foreach (var enroll in r.Enroll)
            yield return Row($"`{enroll.Pack}`", $"`{enroll.Id}`", Ms(enroll.LfwMs), Ms(enroll.GoldenMs));
        foreach (var pack in r.NotInstalled)
            yield return Row($"`{pack}`", "not installed here", "n/a", "n/a");
    }
}
