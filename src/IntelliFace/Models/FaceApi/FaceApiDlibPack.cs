using IntelliFace.Alignment;
using IntelliFace.Detection;
using IntelliFace.Embedding;
using IntelliFace.Imaging;

namespace IntelliFace.Models.FaceApi;

/// <summary>
/// The default pack, face-api's pipeline: SSD MobileNet v1 detection (score &gt; 0.5), 68 landmarks,
/// the axis-aligned "dlib alignment" crop, and the dlib-style ResNet descriptor (128 floats).
/// </summary>
internal sealed class FaceApiDlibPack : IModelPack
{
    private const float MinDetectionScore = 0.5f;
    private const int MaxFaces = 100;

    private readonly SsdFaceDetector _detector;
    private readonly FaceLandmarkNet _landmarks;
    private readonly FaceRecognitionNet _recognition;

    public FaceApiDlibPack(PackManifest manifest, string folder, int intraOpThreads = 1)
    {
        Manifest = manifest;
        Id = manifest.Id;
        _detector = new SsdFaceDetector(folder, intraOpThreads);
        _landmarks = FaceLandmarkNet.Load(folder, intraOpThreads);
        _recognition = FaceRecognitionNet.Load(folder, intraOpThreads);
    }

    public PackManifest Manifest { get; }

    public PackId Id { get; }

    public IReadOnlyList<FoundFace> FindFaces(RgbImage image)
    {
        var detections = _detector.Detect(image, MinDetectionScore, MaxFaces);
        var faces = new FoundFace[detections.Count];
        for (var i = 0; i < faces.Length; i++)
        {
            var landmarks = _landmarks.Locate(image, detections[i]);
            var crop = DlibFaceAligner.Align(landmarks, image.Width, image.Height).Crop;
            faces[i] = new FoundFace(detections[i], landmarks.Positions, crop);
        }

        return faces;
    }

    public FaceEmbedding Embed(RgbImage image, FoundFace face) => _recognition.Describe(image, face.AlignedCrop, Id);

    public void Dispose()
    {
        _detector.Dispose();
        _landmarks.Dispose();
        _recognition.Dispose();
    }
}
