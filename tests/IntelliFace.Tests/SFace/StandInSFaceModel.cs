using IntelliFace.Embedding;
using IntelliFace.Imaging;
using IntelliFace.Models.Onnx;

namespace IntelliFace.Tests.SFace;

/// <summary>
/// A stand-in for <c>face_recognition_sface_2021dec.onnx</c>, built with our own graph builder, with
/// its input and output shapes ([1, 3, 112, 112] float32 in, [1, 128] out): 128 fixed random 0/1
/// projections of the input. The input holds whole numbers 0..255, so every sum is a whole number
/// below 2^24, exact in float32 in any summation order: the outputs equal <see cref="Project"/> of a
/// tensor exactly when the model received that tensor (a value off by any amount changes each output
/// with probability 1/2, so a wrong tensor escapes with probability 2^-128).
/// </summary>
internal static class StandInSFaceModel
{
    public const string InputName = "data";
    public const string OutputName = "fc1";

    private static readonly float[] Weights = MakeWeights();

    public static byte[] Build()
    {
        var graph = new OnnxGraphBuilder("sface-stand-in");
        var input = graph.Input(InputName, 1, 3, SFaceNet.InputSize, SFaceNet.InputSize);
        var flat = graph.Node("Reshape", [input, graph.Constant("flat_shape", [1L, SFaceNet.InputLength], 2)]);
        var weights = graph.Constant("projections", Weights, SFaceNet.InputLength, FaceEmbedding.Dimension);
        graph.Output(graph.Node("MatMul", [flat, weights], OutputName), 1, FaceEmbedding.Dimension);
        return graph.ToModelBytes();
    }

    /// <summary>What the stand-in outputs for <paramref name="tensor"/>, computed exactly in integers.</summary>
    public static float[] Project(ReadOnlySpan<float> tensor)
    {
        Assert.Equal(SFaceNet.InputLength, tensor.Length);
        var sums = new long[FaceEmbedding.Dimension];
        for (var i = 0; i < tensor.Length; i++)
        {
            var value = tensor[i];
            Assert.True(value == MathF.Floor(value) && value is >= 0 and <= 255, $"input value {i} is {value}, not a whole number 0..255");
            for (var k = 0; k < sums.Length; k++)
                if (Weights[i * FaceEmbedding.Dimension + k] != 0) sums[k] += (long)value;
        }

        return sums.Select(s => (float)s).ToArray();
    }

    /// <summary>
    /// The tensor SFace must receive for an aligned crop, written out here independently of the
    /// product: R, G and B planes of the raw pixel values (OpenCV's blobFromImage with swapRB, scale 1, mean 0).
    /// </summary>
    public static float[] ExpectedTensor(RgbImage alignedCrop)
    {
        Assert.Equal((112, 112), (alignedCrop.Width, alignedCrop.Height));
        var tensor = new float[3 * 112 * 112];
        for (var channel = 0; channel < 3; channel++)
        for (var y = 0; y < 112; y++)
        for (var x = 0; x < 112; x++)
            tensor[(channel * 112 + y) * 112 + x] = alignedCrop.Pixels[(y * 112 + x) * 3 + channel];
        return tensor;
    }

    private static float[] MakeWeights()
    {
        var random = new Random(20211201);
        var weights = new float[SFaceNet.InputLength * FaceEmbedding.Dimension];
        for (var i = 0; i < weights.Length; i++) weights[i] = random.Next(2);
        return weights;
    }
}
