using System.Globalization;
using IntelliFace.Imaging;
using IntelliFace.Models.FaceApi;
using IntelliFace.Models.Onnx;
using IntelliFace.Models.Tfjs;
using Microsoft.ML.OnnxRuntime;

namespace IntelliFace.Detection;

/// <summary>
/// face-api's SSD MobileNet v1 face detector, reproducing face-api 1.7.15
/// <c>detectAllFaces(image, new SsdMobilenetv1Options({ minConfidence, maxResults }))</c>.
/// Thread-safe: one ONNX Runtime session shared by all calls; create one and keep it.
/// </summary>
internal sealed class SsdFaceDetector : IDisposable
{
    private const double IouThreshold = 0.5;
    private const int InputSize = SsdMobilenetV1Graph.InputSize;

    private readonly InferenceSession _session;
    private readonly float[] _anchors;

    /// <summary>Loads the weights from a folder holding <c>ssd_mobilenetv1_model-weights_manifest.json</c> and its <c>.bin</c>.</summary>
    public SsdFaceDetector(string modelFolder, int intraOpThreads = 1)
        : this(LoadWeights(modelFolder), intraOpThreads)
    {
    }

    public SsdFaceDetector(TfjsWeights weights, int intraOpThreads = 1)
    {
        _anchors = weights[SsdMobilenetV1Graph.AnchorsWeight].Values;
        if (_anchors.Length != 4 * SsdMobilenetV1Graph.AnchorCount)
            throw new FaceException(FaceErrorCode.ModelIntegrity, $"The SSD anchors hold {_anchors.Length / 4} boxes, not {SsdMobilenetV1Graph.AnchorCount}.");
        _session = OnnxSessionFactory.Create(SsdMobilenetV1Graph.Build(weights), intraOpThreads);
    }

    /// <summary>
    /// Finds faces with a score above <paramref name="minConfidence"/> (strictly), best first, after
    /// non-maximum suppression (IoU &gt; 0.5 suppresses), at most <paramref name="maxResults"/>.
    /// Boxes are in pixels of <paramref name="image"/>; their right and bottom edges are clamped to
    /// the square the image was padded to, not to the image, so they may pass its right or bottom border.
    /// </summary>
    /// <param name="minConfidence">Score threshold, strictly between 0 and 1.</param>
    public IReadOnlyList<FaceDetection> Detect(RgbImage image, float minConfidence = 0.5f, int maxResults = 100)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!(minConfidence > 0 && minConfidence < 1))
            throw new ArgumentOutOfRangeException(nameof(minConfidence), minConfidence, "The minimum confidence must lie strictly between 0 and 1.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxResults);

        var input = new float[3 * InputSize * InputSize];
        SsdInputImage.Write(image, InputSize, input);

        CornerBox[] boxes;
        float[] scores;
        using (var inputValue = OrtValue.CreateTensorValueFromMemory(input, [1, 3, InputSize, InputSize]))
        using (var runOptions = new RunOptions())
        using (var outputs = _session.Run(runOptions, [SsdMobilenetV1Graph.InputName], [inputValue], [SsdMobilenetV1Graph.BoxEncodingsName, SsdMobilenetV1Graph.ScoresName]))
        {
            boxes = SsdBoxDecoder.Decode(_anchors, outputs[0].GetTensorDataAsSpan<float>());
            scores = outputs[1].GetTensorDataAsSpan<float>().ToArray();
        }

        // face-api compares the float32 scores, as doubles, with the threshold the caller wrote as a
        // JavaScript number; the shortest decimal of the float gives that number (0.6f -> 0.6, not 0.60000002).
        var threshold = double.Parse(minConfidence.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var selected = NonMaximumSuppression.Select(boxes, scores, maxResults, IouThreshold, threshold);

        var detections = new FaceDetection[selected.Count];
        for (var i = 0; i < selected.Count; i++)
            detections[i] = new FaceDetection(scores[selected[i]], ToImageBox(boxes[selected[i]], image.Width, image.Height));
        return detections;
    }

    public void Dispose() => _session.Dispose();

    /// <summary>
    /// face-api's output geometry, in doubles: clamp the relative box to [0, 1] of the padded square,
    /// stretch it by square / reshaped size per axis (the reshaped size rounded with JavaScript's
    /// <c>Math.round</c>), then scale by the image size.
    /// </summary>
    private static FaceBox ToImageBox(CornerBox box, int width, int height)
    {
        var scale = (double)InputSize / Math.Max(width, height);
        var padX = InputSize / RoundHalfUp(width * scale);
        var padY = InputSize / RoundHalfUp(height * scale);
        var top = Math.Max(0, (double)box.YMin) * padY;
        var bottom = Math.Min(1, (double)box.YMax) * padY;
        var left = Math.Max(0, (double)box.XMin) * padX;
        var right = Math.Min(1, (double)box.XMax) * padX;
        return new FaceBox(left * width, top * height, (right - left) * width, (bottom - top) * height);
    }

    private static double RoundHalfUp(double value)
    {
        var floor = Math.Floor(value);
        return value - floor >= 0.5 ? floor + 1 : floor;
    }

    private static TfjsWeights LoadWeights(string modelFolder)
    {
        var manifest = Path.Combine(modelFolder, SsdMobilenetV1Graph.ManifestFileName);
        if (!File.Exists(manifest))
            throw new FaceException(FaceErrorCode.ModelNotInstalled, $"The SSD face detector weights are not in {modelFolder}: run 'intelliface models install'.");
        return TfjsWeights.Load(manifest);
    }
}
