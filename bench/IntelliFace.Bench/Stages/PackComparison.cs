using System.Diagnostics;
using System.Security.Cryptography;
using IntelliFace.Alignment;
using IntelliFace.Detection;
using IntelliFace.Embedding;
using IntelliFace.Imaging;
using IntelliFace.Models;
using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Bench.Stages;

/// <summary>Median milliseconds of one step on one photo set; NaN where the step could not run (its pack is not installed).</summary>
internal sealed record StepTiming(string Step, string Per, double LfwMs, double GoldenMs);

/// <summary>End-to-end enrollment of one installed pack: <see cref="FaceRecognitionService.Enroll"/> into a throw-away vault.</summary>
internal sealed record EnrollTiming(string Pack, string Id, int Photos, double LfwMs, double GoldenMs);

internal sealed record PackComparisonResult(int LfwPhotos, int GoldenPhotos, int Passes, IReadOnlyList<StepTiming> Steps, IReadOnlyList<EnrollTiming> Enroll, IReadOnlyList<string> NotInstalled);

/// <summary>
/// The packs' steps side by side, 1 thread: the two detectors (SSD, YuNet) on whole photos, the
/// alignments on the largest face (68-point net and dlib crop on the SSD's or on YuNet's box; the
/// 5-point warp to 112 x 112), the embedders, and enrollment end to end per installed pack, on 250 x
/// 250 LFW photos and on the face-api golden PNGs (up to 1280 px). YuNet comes from
/// <c>../shared/models</c> when the model store lacks it. Photos and embeddings stay in memory.
/// </summary>
internal static class PackComparison
{
    private const int LfwSample = 60;

    public static PackComparisonResult Run(GoldenInputs golden, int passes, TextWriter progress)
    {
        var store = ModelStore.FromEnvironment();
        var faceApi = PackManifest.Load("faceapi-dlib");
        store.VerifyInstalled(faceApi);
        var faceApiFolder = store.FolderOf(faceApi, faceApi.EmbedderFile);
        var yunetPath = store.PathOf(PackManifest.Load("yunet-sface"), YuNetFaceDetector.ModelFileName);
        if (!File.Exists(yunetPath)) yunetPath = BenchPaths.SharedPath("models", YuNetFaceDetector.ModelFileName);

        var intake = new ImageIntake();
        var lfwFiles = LfwSamplePaths();
        var sets = new[] { lfwFiles.Select(f => intake.Decode(File.ReadAllBytes(f))).ToArray(), golden.Photos.Select(p => intake.Decode(p.Bytes)).ToArray() };
        try
        {
            using var ssd = new SsdFaceDetector(faceApiFolder);
            using var yunet = new YuNetFaceDetector(File.ReadAllBytes(yunetPath));
            using var landmarks = FaceLandmarkNet.Load(faceApiFolder);
            using var recognition = FaceRecognitionNet.Load(faceApiFolder);
            var pack = faceApi.Id;

            FaceDetection? LargestSsd(RgbImage image) => ssd.Detect(image, 0.5f, 100).OrderByDescending(d => d.Box.Width * d.Box.Height).Cast<FaceDetection?>().FirstOrDefault();
            YuNetFace? LargestYuNet(RgbImage image) => yunet.Detect(image, YuNetFaceDetector.PackScoreThreshold).MaxBy(f => f.Detection.Box.Width * f.Detection.Box.Height);

            var ssdFaces = sets.Select(set => set.Select(LargestSsd).ToArray()).ToArray();
            var yunetFaces = sets.Select(set => set.Select(LargestYuNet).ToArray()).ToArray();
            var dlibCrops = sets.Select((set, s) => set.Select((image, i) => ssdFaces[s][i] is { } face
                ? DlibFaceAligner.Align(landmarks.Locate(image, face), image.Width, image.Height).Crop
                : (PixelRect?)null).ToArray()).ToArray();

            var steps = new List<StepTiming>
            {
                Time("detect: SSD MobileNet v1, 512 x 512 (faceapi-dlib)", "photo", sets, passes, (image, _, _) => ssd.Detect(image, 0.5f, 100)),
                Time("detect: YuNet at the photo's size, padded to 32 (yunet-*)", "photo", sets, passes, (image, _, _) => yunet.Detect(image, YuNetFaceDetector.PackScoreThreshold)),
                Time("align: 68-point net on the SSD box + dlib crop (faceapi-dlib)", "face", sets, passes, (image, set, i) =>
                {
                    if (ssdFaces[set][i] is { } face) DlibFaceAligner.Align(landmarks.Locate(image, face), image.Width, image.Height);
                }),
                Time("align: 68-point net on the YuNet box + dlib crop (yunet-faceapi-dlib)", "face", sets, passes, (image, set, i) =>
                {
                    if (yunetFaces[set][i] is { } face) DlibFaceAligner.Align(landmarks.Locate(image, face.Detection), image.Width, image.Height);
                }),
                Time("align: 68-point net on the YuNet box + dlib chip warp to 150 x 150 (yunet-dlibchip)", "face", sets, passes, (image, set, i) =>
                {
                    if (yunetFaces[set][i] is { } face) DlibChipAligner.Align(image, landmarks.Locate(image, face.Detection).Positions).Dispose();
                }),
                Time("align: 5-point similarity warp to 112 x 112 (yunet-sface)", "face", sets, passes, (image, set, i) =>
                {
                    if (yunetFaces[set][i] is { } face) ArcFaceAligner.Align(image, face.Landmarks).Dispose();
                }),
                Time("embed: dlib-style ResNet, 150 x 150 (faceapi packs)", "face", sets, passes, (image, set, i) =>
                {
                    if (dlibCrops[set][i] is { } crop) recognition.Describe(image, crop, pack).Clear();
                }),
            };

            var enroll = new List<EnrollTiming>();
            var notInstalled = new List<string>();
            foreach (var manifest in PackManifest.LoadAll())
            {
                if (!store.IsInstalled(manifest))
                {
                    notInstalled.Add(manifest.Name);
                    continue;
                }

                progress.WriteLine($"packs: enrolling with {manifest.Name}");
                enroll.Add(TimeEnrollment(manifest, store, lfwFiles, golden, passes));
            }

            return new PackComparisonResult(lfwFiles.Length, golden.Photos.Count, passes, steps, enroll, notInstalled);
        }
        finally
        {
            foreach (var image in sets.SelectMany(s => s)) image.Dispose();
        }
    }

    /// <param name="work">One step on photo i of set s (untimed once as a warm-up, then timed).</param>
    private static StepTiming Time(string step, string per, RgbImage[][] sets, int passes, Action<RgbImage, int, int> work)
    {
        var medians = new double[sets.Length];
        for (var s = 0; s < sets.Length; s++)
        {
            for (var i = 0; i < sets[s].Length; i++) work(sets[s][i], s, i);
            var samples = new List<double>();
            for (var pass = 0; pass < passes; pass++)
            {
                for (var i = 0; i < sets[s].Length; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    work(sets[s][i], s, i);
                    samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }

            medians[s] = SampleSummary.Of(samples).Median;
        }

        return new StepTiming(step, per, medians[0], medians[1]);
    }

    private static EnrollTiming TimeEnrollment(PackManifest manifest, ModelStore store, string[] lfwFiles, GoldenInputs golden, int passes)
    {
        using var pack = ModelPackLoader.Load(manifest, store);
        var folder = Directory.CreateTempSubdirectory("intelliface-bench-enroll-");
        try
        {
            using var vault = TemplateVault.Open(VaultLocation.SqliteFolder(folder.FullName), new InMemoryMasterKey());
            var service = new FaceRecognitionService(new FacePipeline(pack, new ImageIntake()), vault);
            var tenant = new TenantId("bench");
            double MedianOver(IReadOnlyList<byte[]> photos)
            {
                var samples = new List<double>();
                for (var pass = -1; pass < passes; pass++)
                {
                    for (var i = 0; i < photos.Count; i++)
                    {
                        var start = Stopwatch.GetTimestamp();
                        try
                        {
                            service.Enroll(tenant, new SubjectId($"s{i}"), photos[i]);
                        }
                        catch (FaceException)
                        {
                            continue; // no face or several: not an enrollment
                        }

                        if (pass >= 0) samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    }
                }

                return SampleSummary.Of(samples).Median;
            }

            var lfwPhotos = lfwFiles.Select(File.ReadAllBytes).ToArray();
            try
            {
                return new EnrollTiming(manifest.Name, manifest.Id.Value, lfwPhotos.Length + golden.Photos.Count,
                    MedianOver(lfwPhotos), MedianOver(golden.Photos.Select(p => p.Bytes).ToArray()));
            }
            finally
            {
                foreach (var photo in lfwPhotos) CryptographicOperations.ZeroMemory(photo);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string[] LfwSamplePaths()
    {
        var folder = BenchPaths.SharedPath("faces", "lfw-dev");
        return File.ReadLines(Path.Combine(folder, "pairs.tsv")).Skip(1)
            .Select(line => line.Split('\t')[1])
            .Distinct(StringComparer.Ordinal)
            .Take(LfwSample)
            .Select(path => Path.Combine(folder, path))
            .ToArray();
    }
}
