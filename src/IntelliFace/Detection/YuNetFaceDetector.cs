using System.Runtime.InteropServices;
using System.Security.Cryptography;
using IntelliFace.Imaging;
using IntelliFace.Models.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace IntelliFace.Detection;

/// <summary>
/// YuNet (OpenCV zoo, <c>face_detection_yunet_2023mar.onnx</c>) on ONNX Runtime with our own output
/// decoding, reproducing OpenCV's <c>FaceDetectorYN</c> with the input size set to the image's size.
/// Thread-safe: one session shared by all calls; create one and keep it.
/// </summary>
/// <remarks>
/// OpenCV pads an image on the right and bottom with zeros to a multiple of 32 and runs the network
/// on that size. The file declares its input as 1 x 3 x 640 x 640 (BGR, 0..255), so its height and
/// width are made symbolic before loading. Pasting a smaller image into a zero 640 x 640 canvas
/// instead is not the same: the convolutions' own zero padding then falls elsewhere, and on a
/// 250 x 250 photo boxes and landmarks move by up to 3 px.
/// </remarks>
internal sealed class YuNetFaceDetector : IDisposable
{
    public const string ModelFileName = "face_detection_yunet_2023mar.onnx";
    public const int InputSize = 640;

    /// <summary>OpenCV's defaults for this model (zoo demo): score 0.9, NMS IoU 0.3.</summary>
    public const float DefaultScoreThreshold = 0.9f;
    public const double DefaultNmsThreshold = 0.3;

    /// <summary>
    /// The score our packs accept. OpenCV's 0.9 misses 61 of the 3,811 lfw-dev photos (their faces
    /// score 0.85-0.9); 0.8 misses 4. Below 0.8, single-person DeepFace photos start showing second
    /// "faces" (0.74-0.76), which would refuse their enrollment as multiple_faces.
    /// </summary>
    public const float PackScoreThreshold = 0.8f;

    private const int PaddingMultiple = 32;
    private const string InputName = "input";

    private readonly InferenceSession _session;

    /// <param name="onnxModel">The bytes of <see cref="ModelFileName"/>.</param>
    public YuNetFaceDetector(byte[] onnxModel, int intraOpThreads = 1)
    {
        _session = OnnxSessionFactory.Create(OnnxShapeRewriter.WithSymbolicSpatialInput(onnxModel, InputName), intraOpThreads);
    }

    /// <summary>
    /// Finds faces in an upright image of any size, best first. YuNet is trained on small and medium
    /// faces, so an image whose longer side exceeds 640 px is analysed on an area-downscaled copy
    /// (longer side 640) and the geometry is mapped back to <paramref name="image"/>'s pixels.
    /// </summary>
    public IReadOnlyList<YuNetFace> Detect(RgbImage image, float scoreThreshold = DefaultScoreThreshold,
        double nmsThreshold = DefaultNmsThreshold, int maxFaces = 100)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (Math.Max(image.Width, image.Height) <= InputSize) return DetectFitting(image, scoreThreshold, nmsThreshold, maxFaces);

        var scaled = ImageResampler.DownscaleToFit(image, InputSize);
        using var analysed = scaled.Image;
        var back = 1 / scaled.Scale;
        return DetectFitting(analysed, scoreThreshold, nmsThreshold, maxFaces)
            .Select(face => new YuNetFace(
                face.Detection with { Box = new FaceBox(face.Detection.Box.X * back, face.Detection.Box.Y * back, face.Detection.Box.Width * back, face.Detection.Box.Height * back) },
                face.Landmarks.Scaled(back)))
            .ToArray();
    }

    /// <summary>What OpenCV's <c>FaceDetectorYN</c> returns for an image of at most 640 x 640 with the input size set to the image's size.</summary>
    public IReadOnlyList<YuNetFace> DetectFitting(RgbImage image, float scoreThreshold = DefaultScoreThreshold,
        double nmsThreshold = DefaultNmsThreshold, int maxFaces = 100)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width > InputSize || image.Height > InputSize)
            throw new ArgumentException($"The image is {image.Width}x{image.Height}; YuNet takes at most {InputSize}x{InputSize}.", nameof(image));
        if (!(scoreThreshold > 0 && scoreThreshold < 1))
            throw new ArgumentOutOfRangeException(nameof(scoreThreshold), scoreThreshold, "The score threshold must lie strictly between 0 and 1.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFaces);

        var paddedWidth = RoundUp(image.Width, PaddingMultiple);
        var paddedHeight = RoundUp(image.Height, PaddingMultiple);
        var input = new float[3 * paddedWidth * paddedHeight];
        var candidates = new List<YuNetFace>();
        try
        {
            WriteInput(image, paddedWidth, paddedHeight, input);
            var outputNames = YuNetOutputDecoder.Strides
                .SelectMany(stride => new[] { $"cls_{stride}", $"obj_{stride}", $"bbox_{stride}", $"kps_{stride}" })
                .ToArray();
            using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [1, 3, paddedHeight, paddedWidth]);
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, [InputName], [inputValue], outputNames);

            for (var s = 0; s < YuNetOutputDecoder.Strides.Length; s++)
            {
                var stride = YuNetOutputDecoder.Strides[s];
                YuNetOutputDecoder.DecodeStride(
                    outputs[4 * s].GetTensorDataAsSpan<float>(),
                    outputs[4 * s + 1].GetTensorDataAsSpan<float>(),
                    outputs[4 * s + 2].GetTensorDataAsSpan<float>(),
                    outputs[4 * s + 3].GetTensorDataAsSpan<float>(),
                    stride, paddedWidth / stride, paddedHeight / stride, scoreThreshold, candidates);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(input.AsSpan()));
        }

        return YuNetOutputDecoder.Suppress(candidates, scoreThreshold, nmsThreshold, maxFaces);
    }

    public void Dispose() => _session.Dispose();

    /// <summary>The image padded with zeros on the right and bottom, as BGR planes (NCHW) on the 0..255 scale.</summary>
    private static void WriteInput(RgbImage image, int width, int height, Span<float> planes)
    {
        var plane = width * height;
        ReadOnlySpan<byte> pixels = image.Pixels;
        for (var y = 0; y < image.Height; y++)
        {
            var row = pixels.Slice(y * image.Stride, image.Stride);
            var offset = y * width;
            for (var x = 0; x < image.Width; x++)
            {
                planes[offset + x] = row[3 * x + 2];
                planes[plane + offset + x] = row[3 * x + 1];
                planes[2 * plane + offset + x] = row[3 * x];
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
