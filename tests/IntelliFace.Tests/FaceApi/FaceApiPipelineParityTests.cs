using IntelliFace.Alignment;
using IntelliFace.Detection;
using IntelliFace.Embedding;
using Xunit.Abstractions;

namespace IntelliFace.Tests.FaceApi;

/// <summary>
/// From the golden PNGs and face-api's detection boxes, every face through landmarks, the dlib
/// rectangle and the descriptor, compared with face-api's results.
/// </summary>
public sealed class FaceApiPipelineParityTests(FaceApiNetworks networks, ITestOutputHelper output) : IClassFixture<FaceApiNetworks>
{
    private static readonly PackId Pack = new("faceapi-dlib-test");

    [Fact]
    public void Every_golden_face_gets_face_apis_crops_landmarks_and_descriptor()
    {
        double maxLandmarkError = 0, maxDescriptorAbs = 0, maxDescriptorL2 = 0;
        var faces = 0;
        foreach (var image in FaceApiGolden.Images)
        {
            using var pixels = FaceApiGolden.LoadPng(image.File);
            for (var index = 0; index < image.Faces.Count; index++)
            {
                var golden = image.Faces[index];
                var where = $"{image.File} face {index}";

                var landmarks = networks.Landmarks.Locate(pixels, new FaceDetection(golden.Score, golden.Box));
                var rects = DlibFaceAligner.Align(landmarks, pixels.Width, pixels.Height);
                var embedding = networks.Recognition.Describe(pixels, rects.Crop, Pack);

                Assert.True(golden.LandmarkCrop == landmarks.Crop, $"{where}: landmark crop {landmarks.Crop}, expected {golden.LandmarkCrop}");
                var landmarkError = MaxDistance(golden.Landmarks, landmarks.Positions);
                Assert.True(landmarkError < 0.01, $"{where}: a landmark is {landmarkError:E2} px off");
                Assert.True(golden.DescriptorAlignRect == rects.AlignRect, $"{where}: align rect {rects.AlignRect}, expected {golden.DescriptorAlignRect}");
                Assert.True(golden.DescriptorCrop == rects.Crop, $"{where}: crop {rects.Crop}, expected {golden.DescriptorCrop}");
                var (abs, l2) = FaceApiNetworkParityTests.Differences(golden.Descriptor, embedding.Values);
                Assert.True(l2 < 1e-4, $"{where}: descriptor L2 distance {l2:E2}");
                Assert.Equal(Pack, embedding.Pack);

                maxLandmarkError = Math.Max(maxLandmarkError, landmarkError);
                maxDescriptorAbs = Math.Max(maxDescriptorAbs, abs);
                maxDescriptorL2 = Math.Max(maxDescriptorL2, l2);
                faces++;
            }
        }

        Assert.Equal(34, faces);
        output.WriteLine($"{faces} faces: landmarks max {maxLandmarkError:E2} px; descriptor max abs {maxDescriptorAbs:E2}, max L2 {maxDescriptorL2:E2}");
    }

    private static double MaxDistance(IReadOnlyList<PointD> expected, IReadOnlyList<PointD> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        return expected.Zip(actual, (e, a) => Math.Max(Math.Abs(e.X - a.X), Math.Abs(e.Y - a.Y))).Max();
    }
}
