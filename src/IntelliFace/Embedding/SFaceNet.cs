using System.Runtime.InteropServices;
using System.Security.Cryptography;
using IntelliFace.Alignment;
using IntelliFace.Imaging;
using IntelliFace.Models.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace IntelliFace.Embedding;

/// <summary>
/// SFace (OpenCV zoo, <c>face_recognition_sface_2021dec.onnx</c>) on one ONNX Runtime session: a
/// 112 x 112 crop aligned by <see cref="ArcFaceAligner"/> in, 128 floats out. Thread-safe.
/// </summary>
internal sealed class SFaceNet : IDisposable
{
    public const string ModelFileName = "face_recognition_sface_2021dec.onnx";
    public const int InputSize = ArcFaceAligner.CropSize;
    public const int InputLength = 3 * InputSize * InputSize;

    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string _outputName;

    /// <param name="onnxModel">A model taking [1, 3, 112, 112] float32 and giving [1, 128] (its first input and output are used).</param>
    /// <exception cref="FaceException"><c>model_integrity</c> when the model has other shapes.</exception>
    public SFaceNet(byte[] onnxModel, int intraOpThreads = 1)
    {
        _session = OnnxSessionFactory.Create(onnxModel, intraOpThreads);
        var input = _session.InputMetadata.First();
        var output = _session.OutputMetadata.First();
        if (!Fits(input.Value.Dimensions, [1, 3, InputSize, InputSize]) || !Fits(output.Value.Dimensions, [1, FaceEmbedding.Dimension]))
        {
            _session.Dispose();
            throw new FaceException(FaceErrorCode.ModelIntegrity,
                $"The recognition model takes [{string.Join(",", input.Value.Dimensions)}] and gives [{string.Join(",", output.Value.Dimensions)}], not [1,3,{InputSize},{InputSize}] and [1,{FaceEmbedding.Dimension}].");
        }

        _inputName = input.Key;
        _outputName = output.Key;
    }

    /// <summary>The embedding (not normalised) of an aligned 112 x 112 crop.</summary>
    public FaceEmbedding Describe(RgbImage alignedCrop, PackId pack)
    {
        var input = new float[InputLength];
        try
        {
            WriteInput(alignedCrop, input);
            using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [1, 3, InputSize, InputSize]);
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, [_inputName], [inputValue], [_outputName]);
            return new FaceEmbedding(pack, outputs[0].GetTensorDataAsSpan<float>());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(input.AsSpan()));
        }
    }

    /// <summary>
    /// The network input for an aligned crop, as OpenCV's <c>FaceRecognizerSF::feature</c> builds it
    /// (<c>blobFromImage(crop, 1.0, 112x112, mean 0, swapRB)</c> on its BGR crop): the R, G and B
    /// planes (NCHW) of the raw 0..255 values, no mean, no scaling.
    /// </summary>
    public static void WriteInput(RgbImage alignedCrop, Span<float> destination)
    {
        if (alignedCrop.Width != InputSize || alignedCrop.Height != InputSize)
            throw new ArgumentException($"The aligned crop is {alignedCrop.Width}x{alignedCrop.Height}, not {InputSize}x{InputSize}.", nameof(alignedCrop));
        if (destination.Length != InputLength)
            throw new ArgumentException($"The destination holds {destination.Length} floats, not {InputLength}.", nameof(destination));

        const int plane = InputSize * InputSize;
        ReadOnlySpan<byte> pixels = alignedCrop.Pixels;
        for (var i = 0; i < plane; i++)
        {
            destination[i] = pixels[3 * i];
            destination[plane + i] = pixels[3 * i + 1];
            destination[2 * plane + i] = pixels[3 * i + 2];
        }
    }

    public void Dispose() => _session.Dispose();

    // A symbolic dimension (-1) fits any size.
    private static bool Fits(int[] actual, int[] expected) =>
        actual.Length == expected.Length && actual.Zip(expected).All(d => d.First == d.Second || d.First == -1);
}
