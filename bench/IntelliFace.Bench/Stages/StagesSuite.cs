using IntelliFace.Bench.Reference;
using IntelliFace.Imaging;
using IntelliFace.Models;

namespace IntelliFace.Bench.Stages;

/// <summary>What the <c>stages</c> command measured.</summary>
internal sealed record StagesResult(
    IReadOnlyList<string> Images,
    IReadOnlyDictionary<string, (int Width, int Height)> SizeByImage,
    IReadOnlyDictionary<string, int> FacesByImage,
    int Passes,
    IReadOnlyList<WorkerRun> Runs,
    EmbedOverhead Embed,
    VaultInsert Vault,
    ReferenceResult? Reference,
    string LoadAtStart,
    string LoadAtEnd)
{
    public WorkerRun Run(int workers) => Runs.Single(r => r.Workers == workers);
}

/// <param name="Passes">Timed passes over all photos per worker count.</param>
/// <param name="EmbedRounds">Alternating bare-run / embed-stage measurements.</param>
/// <param name="VaultSamples">Templates written to the temporary vault.</param>
/// <param name="ReferenceRuns">Runs of face-api on the same photos; 0 skips the reference.</param>
internal sealed record StagesOptions(int Passes = 5, int EmbedRounds = 600, int VaultSamples = 200, int ReferenceRuns = 3);

/// <summary>The <c>stages</c> benchmark: per-stage timings (1 and 2 workers), embed vs bare ONNX Runtime, vault writes, and face-api on the same photos.</summary>
internal static class StagesSuite
{
    public static StagesResult Run(StagesOptions options, TextWriter progress)
    {
        using var inputs = GoldenInputs.Load();
        var manifest = PackManifest.Load("faceapi-dlib");
        var store = ModelStore.FromEnvironment();
        using var stages = new PipelineStages(manifest, store);
        using (var pack = ModelPackLoader.Load(manifest, store))
        {
            foreach (var photo in inputs.Photos) stages.CheckAgainst(pack, photo);
        }
        progress.WriteLine($"stages: {inputs.Photos.Count} photos, the stages find the same faces and crops as the pack {manifest.Id}");

        var faces = StageBenchmark.WarmUp(stages, inputs);
        var loadAtStart = OneMinuteLoad();
        var runs = StageBenchmark.Run(stages, inputs, [1, 2], options.Passes, progress);
        var loadAtEnd = OneMinuteLoad();
        var embed = EmbedOverheadBenchmark.Run(stages, inputs, options.EmbedRounds);
        progress.WriteLine($"stages: embed stage adds {embed.Judged.OverheadPercent:F1} % to the bare run");
        var vault = VaultInsertBenchmark.Run(stages.Pack, options.VaultSamples);

        var names = inputs.Photos.Select(p => p.Name).ToArray();
        var sizes = inputs.Photos.ToDictionary(p => p.Name, p => SizeOf(p));
        var reference = options.ReferenceRuns > 0 ? FaceApiReference.Run(inputs.Folder, names, options.ReferenceRuns, progress) : null;
        return new StagesResult(names, sizes, faces, options.Passes, runs, embed, vault, reference, loadAtStart, loadAtEnd);
    }

    private static string OneMinuteLoad() => Report.MachineInfo.LoadAverage().Split(' ')[0];

    private static (int Width, int Height) SizeOf(EncodedPhoto photo)
    {
        using var image = new ImageIntake().Decode(photo.Bytes);
        return (image.Width, image.Height);
    }
}
