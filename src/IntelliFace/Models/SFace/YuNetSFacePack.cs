using IntelliFace.Alignment;
using IntelliFace.Detection;
using IntelliFace.Embedding;
using IntelliFace.Imaging;

namespace IntelliFace.Models.SFace;

/// <summary>
/// The OpenCV zoo pipeline: YuNet detection with its five landmarks, the 5-point similarity
/// alignment to 112 x 112 (<see cref="ArcFaceAligner"/>), and SFace (128 floats).
/// </summary>
internal sealed class YuNetSFacePack : IModelPack
{
    private const int MaxFaces = 100;

    private readonly YuNetFaceDetector _detector;
    private readonly SFaceNet _recognition;

    public YuNetSFacePack(PackManifest manifest, ModelStore store, int intraOpThreads = 1)
        : this(manifest,
            File.ReadAllBytes(store.PathOf(manifest, YuNetFaceDetector.ModelFileName)),
            File.ReadAllBytes(store.PathOf(manifest, SFaceNet.ModelFileName)),
            intraOpThreads)
    {
    }

    /// <param name="recognitionModel">The SFace graph (tests give a stand-in of the same shapes).</param>
    public YuNetSFacePack(PackManifest manifest, byte[] detectorModel, byte[] recognitionModel, int intraOpThreads = 1)
    {
        Manifest = manifest;
        Id = manifest.Id;
        _detector = new YuNetFaceDetector(detectorModel, intraOpThreads);
        try
        {
            _recognition = new SFaceNet(recognitionModel, intraOpThreads);
        }
        catch
        {
            _detector.Dispose();
            throw;
        }
    }

    public PackManifest Manifest { get; }

    public PackId Id { get; }

    public IReadOnlyList<FoundFace> FindFaces(RgbImage image) =>
        _detector.Detect(image, YuNetFaceDetector.PackScoreThreshold, YuNetFaceDetector.DefaultNmsThreshold, MaxFaces)
            .Select(face => new FoundFace(face.Detection, face.Landmarks.ToArray(), ArcFaceAligner.RegionFor(face.Landmarks, image.Width, image.Height)))
            .ToArray();

    public FaceEmbedding Embed(RgbImage image, FoundFace face)
    {
        using var crop = ArcFaceAligner.Align(image, FivePointLandmarks.FromArray(face.Landmarks.ToArray()));
        return _recognition.Describe(crop, Id);
    }

    public void Dispose()
    {
        _detector.Dispose();
        _recognition.Dispose();
    }
}
