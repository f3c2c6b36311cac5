using System.Runtime.InteropServices;
using System.Security.Cryptography;
using IntelliFace.Detection;
using IntelliFace.Imaging;
using IntelliFace.Models.FaceApi;
using IntelliFace.Models.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace IntelliFace.Alignment;

/// <summary>
/// face-api's 68-point landmark network on one ONNX Runtime session. Thread-safe: concurrent
/// calls share the session.
/// </summary>
internal sealed class FaceLandmarkNet : IDisposable
{
    private static readonly long[] InputShape = [1, FaceLandmark68Graph.InputSize, FaceLandmark68Graph.InputSize, 3];
    private const int InputLength = FaceLandmark68Graph.InputSize * FaceLandmark68Graph.InputSize * 3;

    private readonly InferenceSession _session;

    /// <param name="onnxModel">The graph of <see cref="FaceLandmark68Graph.Build"/>.</param>
    public FaceLandmarkNet(byte[] onnxModel, int intraOpThreads = 1)
    {
        _session = OnnxSessionFactory.Create(onnxModel, intraOpThreads);
    }

    /// <summary>Builds (or reads from the graph cache) the network from the face-api weights in <paramref name="modelFolder"/>.</summary>
    /// <exception cref="FaceException"><see cref="FaceErrorCode.ModelNotInstalled"/> when the weight files are missing.</exception>
    public static FaceLandmarkNet Load(string modelFolder, int intraOpThreads = 1) =>
        new(FaceApiGraphCache.LoadOrBuildLandmark68(modelFolder), intraOpThreads);

    /// <summary>Finds the 68 landmarks of a detected face, in pixels of <paramref name="image"/>.</summary>
    /// <exception cref="FaceException"><see cref="FaceErrorCode.FaceTooSmall"/> when the box covers no whole pixel of the image.</exception>
    public Landmarks68 Locate(RgbImage image, FaceDetection detection)
    {
        var crop = Landmarks68.CropFor(detection.Box, image.Width, image.Height);
        if (crop.IsEmpty)
            throw new FaceException(FaceErrorCode.FaceTooSmall, "The face box covers no whole pixel of the image.");

        var input = new float[InputLength];
        try
        {
            NetInputTensor.WriteFromCrop(image, crop, FaceLandmark68Graph.InputSize, input);
            return Landmarks68.Decode(Run(input), crop, detection.Box);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(input.AsSpan()));
        }
    }

    /// <summary>The network's raw 136 outputs for a [112, 112, 3] HWC input on the 0..255 scale.</summary>
    public float[] Run(ReadOnlySpan<float> input112Hwc)
    {
        if (input112Hwc.Length != InputLength)
            throw new ArgumentException($"The landmark network takes {InputLength} values (112 x 112 x 3), not {input112Hwc.Length}.", nameof(input112Hwc));

        using var input = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, InputShape);
        input112Hwc.CopyTo(input.GetTensorMutableDataAsSpan<float>());
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [FaceLandmark68Graph.InputName], [input], [FaceLandmark68Graph.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose() => _session.Dispose();
}
