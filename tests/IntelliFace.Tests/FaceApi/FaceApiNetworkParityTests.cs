using Xunit.Abstractions;

namespace IntelliFace.Tests.FaceApi;

/// <summary>Each rebuilt network on the exact tensors face-api fed it (face 0 of every golden image).</summary>
public sealed class FaceApiNetworkParityTests(FaceApiNetworks networks, ITestOutputHelper output) : IClassFixture<FaceApiNetworks>
{
    [Fact]
    public void The_recognition_graph_gives_face_apis_descriptors_on_face_apis_inputs()
    {
        double maxAbs = 0, maxL2 = 0;
        foreach (var image in FaceApiGolden.Images)
        {
            var golden = image.Faces[0];

            var descriptor = networks.Recognition.Describe(FaceApiGolden.ReadNetInput(golden.RecognitionInputFile!));

            var (abs, l2) = Differences(golden.Descriptor, descriptor);
            Assert.True(abs <= 1e-5 && l2 <= 1e-5, $"{image.File}: max abs {abs:E2}, L2 {l2:E2}");
            maxAbs = Math.Max(maxAbs, abs);
            maxL2 = Math.Max(maxL2, l2);
        }

        output.WriteLine($"recognition net: max abs {maxAbs:E2}, max L2 {maxL2:E2}");
    }

    [Fact]
    public void The_landmark_graph_gives_face_apis_raw_outputs_on_face_apis_inputs()
    {
        double maxAbs = 0;
        foreach (var image in FaceApiGolden.Images)
        {
            var golden = image.Faces[0];

            var raw = networks.Landmarks.Run(FaceApiGolden.ReadNetInput(golden.LandmarkInputFile!));

            var (abs, _) = Differences(golden.LandmarkNetOutput, raw);
            Assert.True(abs <= 1e-5, $"{image.File}: max abs {abs:E2}");
            maxAbs = Math.Max(maxAbs, abs);
        }

        output.WriteLine($"landmark net: max abs {maxAbs:E2}");
    }

    [Fact]
    public void Concurrent_calls_on_one_session_give_the_sequential_results()
    {
        var inputs = FaceApiGolden.Images.Take(8).Select(image => FaceApiGolden.ReadNetInput(image.Faces[0].RecognitionInputFile!)).ToArray();
        var sequential = inputs.Select(input => networks.Recognition.Describe(input)).ToArray();

        var concurrent = new float[inputs.Length][];
        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => concurrent[i] = networks.Recognition.Describe(inputs[i]));

        Assert.Equal(sequential, concurrent);
    }

    internal static (double MaxAbs, double L2) Differences(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double maxAbs = 0, sumSquares = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var d = (double)actual[i] - expected[i];
            maxAbs = Math.Max(maxAbs, Math.Abs(d));
            sumSquares += d * d;
        }

        return (maxAbs, Math.Sqrt(sumSquares));
    }
}
