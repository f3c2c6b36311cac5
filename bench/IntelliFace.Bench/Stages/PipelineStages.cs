using System.Diagnostics;
using IntelliFace.Alignment;
using IntelliFace.Detection;
using IntelliFace.Embedding;
using IntelliFace.Imaging;
using IntelliFace.Models;
using IntelliFace.Models.FaceApi;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Bench.Stages;

/// <summary>
/// The default pack's pipeline opened stage by stage so that each stage can be timed: the same
/// classes, files and settings <see cref="FaceApiDlibPack"/> wires together (one ONNX Runtime
/// session per network, one intra-op thread), plus the vault's template sealing under an
/// in-memory subject key. Thread-safe like the pack. The pack's second look on a larger canvas,
/// when the SSD finds no face, is left out: it never happens on the golden photos, which
/// <see cref="CheckAgainst"/> confirms.
/// </summary>
internal sealed class PipelineStages : IDisposable
{
    // FaceApiDlibPack's detection settings: score above 0.5, at most 100 faces.
    private const float MinDetectionScore = 0.5f;
    private const int MaxFaces = 100;

    private readonly ImageIntake _intake = new();
    private readonly SubjectKey _subjectKey = SubjectKey.Generate(new TenantId("bench"), new SubjectId("bench-subject"), version: 1);

    public PipelineStages(PackManifest manifest, ModelStore store)
    {
        store.VerifyInstalled(manifest);
        ModelFolder = store.FolderOf(manifest, manifest.EmbedderFile);
        Pack = manifest.Id;
        Detector = new SsdFaceDetector(ModelFolder);
        Landmarks = FaceLandmarkNet.Load(ModelFolder);
        Recognition = FaceRecognitionNet.Load(ModelFolder);
    }

    public string ModelFolder { get; }

    public PackId Pack { get; }

    public SsdFaceDetector Detector { get; }

    public FaceLandmarkNet Landmarks { get; }

    public FaceRecognitionNet Recognition { get; }

    /// <summary>Runs one photo through every stage, recording each; returns the number of faces.</summary>
    public int Run(EncodedPhoto photo, StageSamples samples)
    {
        var start = Stopwatch.GetTimestamp();
        using var image = _intake.Decode(photo.Bytes);
        samples.Add(Stage.Decode, Stopwatch.GetElapsedTime(start).TotalMilliseconds);

        var detectStart = Stopwatch.GetTimestamp();
        var detections = Detector.Detect(image, MinDetectionScore, MaxFaces);
        samples.Add(Stage.Detect, Stopwatch.GetElapsedTime(detectStart).TotalMilliseconds);

        var crops = new PixelRect[detections.Count];
        for (var i = 0; i < crops.Length; i++)
        {
            var faceStart = Stopwatch.GetTimestamp();
            var landmarks = Landmarks.Locate(image, detections[i]);
            crops[i] = DlibFaceAligner.Align(landmarks, image.Width, image.Height).Crop;
            samples.Add(Stage.Landmarks, Stopwatch.GetElapsedTime(faceStart).TotalMilliseconds);
        }

        var embeddings = new FaceEmbedding[crops.Length];
        for (var i = 0; i < crops.Length; i++)
        {
            var faceStart = Stopwatch.GetTimestamp();
            embeddings[i] = Recognition.Describe(image, crops[i], Pack);
            samples.Add(Stage.Embed, Stopwatch.GetElapsedTime(faceStart).TotalMilliseconds);
        }

        samples.AddTotal(photo.Name, Stopwatch.GetElapsedTime(start).TotalMilliseconds);

        foreach (var embedding in embeddings)
        {
            var template = TemplateId.New();
            var sealStart = Stopwatch.GetTimestamp();
            _ = TemplateSeal.Seal(_subjectKey, template, embedding);
            samples.Add(Stage.Seal, Stopwatch.GetElapsedTime(sealStart).TotalMilliseconds);
            embedding.Clear();
        }

        return crops.Length;
    }

    /// <summary>
    /// Throws unless these stages find the same faces and crops as the loaded pack itself, so the
    /// stage timings describe the real pipeline.
    /// </summary>
    public void CheckAgainst(IModelPack pack, EncodedPhoto photo)
    {
        using var image = _intake.Decode(photo.Bytes);
        var expected = pack.FindFaces(image).Select(f => f.AlignedCrop).ToArray();
        var actual = Detector.Detect(image, MinDetectionScore, MaxFaces)
            .Select(d => DlibFaceAligner.Align(Landmarks.Locate(image, d), image.Width, image.Height).Crop)
            .ToArray();
        if (!expected.SequenceEqual(actual))
            throw new InvalidOperationException($"{photo.Name}: the stages found {actual.Length} face(s), the pack {expected.Length}, or their crops differ.");
    }

    public void Dispose()
    {
        Detector.Dispose();
        Landmarks.Dispose();
        Recognition.Dispose();
        _subjectKey.Dispose();
    }
}
