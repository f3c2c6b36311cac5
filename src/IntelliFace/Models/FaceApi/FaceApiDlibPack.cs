using IntelliFace.Alignment;
using IntelliFace.Detection;
using IntelliFace.Embedding;
using IntelliFace.Imaging;

namespace IntelliFace.Models.FaceApi;

/// <summary>
/// The default pack, face-api's pipeline: SSD MobileNet v1 detection (score &gt; 0.5), 68 landmarks,
/// the axis-aligned "dlib alignment" crop, and the dlib-style ResNet descriptor (128 floats).
/// </summary>
/// <remarks>
/// One step beyond face-api: when the SSD finds no face, it looks again at the photo centred on a
/// black canvas twice its size. The SSD misses faces that fill most of the frame (about one LFW
/// image in ten, with best scores of 0.2-0.4), and finds the same faces with scores above 0.9 once
/// they fill a quarter of it. Photos where face-api finds a face are processed exactly as face-api does.
/// </remarks>
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
        if (detections.Count == 0) detections = DetectOnLargerCanvas(image);
        var faces = new FoundFace[detections.Count];
        for (var i = 0; i < faces.Length; i++)
        {
            var landmarks = _landmarks.Locate(image, detections[i]);
            var crop = DlibFaceAligner.Align(landmarks, image.Width, image.Height).Crop;
            faces[i] = new FoundFace(detections[i], landmarks.Positions, crop);
        }

        return faces;
    }

    private IReadOnlyList<FaceDetection> DetectOnLargerCanvas(RgbImage image)
    {
        int left = image.Width / 2, top = image.Height / 2;
        using var canvas = new RgbImage(image.Width * 2, image.Height * 2);
        for (var y = 0; y < image.Height; y++) image.Row(y).CopyTo(canvas.Row(top + y)[(left * 3)..]);

        return _detector.Detect(canvas, MinDetectionScore, MaxFaces)
            .Select(d => d with { Box = d.Box with { X = d.Box.X - left, Y = d.Box.Y - top } })
            .Where(d => d.Box.Right > 0 && d.Box.Bottom > 0 && d.Box.X < image.Width && d.Box.Y < image.Height)
            .ToArray();
    }

    public FaceEmbedding Embed(RgbImage image, FoundFace face) => _recognition.Describe(image, face.AlignedCrop, Id);

    public void Dispose()
    {
        _detector.Dispose();
        _landmarks.Dispose();
        _recognition.Dispose();
    }
}
