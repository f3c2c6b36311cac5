using IntelliFace.Alignment;
using IntelliFace.Detection;
using IntelliFace.Imaging;
using IntelliFace.Models.FaceApi;
using IntelliFace.Models.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace IntelliFace.Embedding;

/// <summary>
/// face-api's dlib-style ResNet (128 values, not normalised) on one ONNX Runtime session.
/// Thread-safe: concurrent calls share the session.
/// </summary>
internal sealed class FaceRecognitionNet : IDisposable
{
    private static readonly long[] InputShape = [1, FaceRecognitionGraph.InputSize, FaceRecognitionGraph.InputSize, 3];
    private const int InputLength = FaceRecognitionGraph.InputSize * FaceRecognitionGraph.InputSize * 3;

    private readonly InferenceSession _session;

    /// <param name="onnxModel">The graph of <see cref="FaceRecognitionGraph.Build"/>.</param>
    public FaceRecognitionNet(byte[] onnxModel, int intraOpThreads = 1)
    {
        _session = OnnxSessionFactory.Create(onnxModel, intraOpThreads);
    }

    /// <summary>Builds (or reads from the graph cache) the network from the face-api weights in <paramref name="modelFolder"/>.</summary>
    /// <exception cref="FaceException"><see cref="FaceErrorCode.ModelNotInstalled"/> when the weight files are missing.</exception>
    public static FaceRecognitionNet Load(string modelFolder, int intraOpThreads = 1) =>
        new(FaceApiGraphCache.LoadOrBuildRecognition(modelFolder), intraOpThreads);

    /// <summary>
    /// The descriptor of the pixels in <paramref name="crop"/> (for face-api parity, the
    /// <see cref="DescriptorRects.Crop"/> of <see cref="DlibFaceAligner"/>), padded to a square and
    /// resized to 150 x 150 as face-api does.
    /// </summary>
    /// <exception cref="FaceException"><see cref="FaceErrorCode.FaceTooSmall"/> when the crop is empty.</exception>
    public FaceEmbedding Describe(RgbImage image, PixelRect crop, PackId pack)
    {
        if (crop.IsEmpty)
            throw new FaceException(FaceErrorCode.FaceTooSmall, "The face is too small to describe.");

        // The crop is resized straight into ONNX Runtime's input buffer: no intermediate copy.
        using var input = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, InputShape);
        var pixels = input.GetTensorMutableDataAsSpan<float>();
        try
        {
            NetInputTensor.WriteFromCrop(image, crop, FaceRecognitionGraph.InputSize, pixels);
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, [FaceRecognitionGraph.InputName], [input], [FaceRecognitionGraph.OutputName]);
            var descriptor = outputs[0].GetTensorMutableDataAsSpan<float>();
            var embedding = new FaceEmbedding(pack, descriptor);
            descriptor.Clear();
            return embedding;
        }
        finally
        {
            pixels.Clear();
        }
    }

    /// <summary>The 128 outputs for a [150, 150, 3] HWC RGB input on the 0..255 scale.</summary>
    public float[] Describe(ReadOnlySpan<float> input150Hwc)
    {
        if (input150Hwc.Length != InputLength)
            throw new ArgumentException($"The recognition network takes {InputLength} values (150 x 150 x 3), not {input150Hwc.Length}.", nameof(input150Hwc));

        using var input = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, InputShape);
        input150Hwc.CopyTo(input.GetTensorMutableDataAsSpan<float>());
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [FaceRecognitionGraph.InputName], [input], [FaceRecognitionGraph.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose() => _session.Dispose();
}
