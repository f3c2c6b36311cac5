using IntelliFace.Detection;
using IntelliFace.Tests.FaceApi;
using Xunit.Abstractions;

namespace IntelliFace.Tests.EndToEnd;

/// <summary>
/// The whole default pack, from PNG bytes to descriptors (intake, SSD, landmarks, dlib crop,
/// ResNet), against face-api 1.7.15's results on the same PNGs.
/// </summary>
public sealed class FaceApiEndToEndParityTests(FaceApiPackFixture fixture, ITestOutputHelper output) : IClassFixture<FaceApiPackFixture>
{
    [Fact]
    public void Every_golden_image_gives_face_apis_faces_boxes_landmarks_crops_and_descriptors()
    {
        double maxBox = 0, maxLandmark = 0, maxL2 = 0;
        var faceCount = 0;
        foreach (var golden in FaceApiGolden.Images)
        {
            using var image = FaceApiGolden.LoadPng(golden.File);
            var faces = fixture.Pack.FindFaces(image);

            Assert.True(golden.Faces.Count == faces.Count, $"{golden.File}: {faces.Count} faces, face-api found {golden.Faces.Count}");
            for (var i = 0; i < faces.Count; i++)
            {
                var where = $"{golden.File} face {i}";
                var expected = golden.Faces[i];
                var box = BoxError(expected.Box, faces[i].Detection.Box);
                var landmark = expected.Landmarks.Zip(faces[i].Landmarks, (e, a) => Math.Max(Math.Abs(e.X - a.X), Math.Abs(e.Y - a.Y))).Max();
                Assert.True(box <= 0.01, $"{where}: box off by {box:E2} px");
                Assert.True(landmark <= 0.01, $"{where}: a landmark is off by {landmark:E2} px");
                Assert.Equal(expected.DescriptorCrop, faces[i].AlignedCrop);

                var embedding = fixture.Pack.Embed(image, faces[i]);
                var l2 = Math.Sqrt(expected.Descriptor.Zip(embedding.Values.ToArray(), (e, a) => (double)(e - a) * (e - a)).Sum());
                Assert.True(l2 < 1e-4, $"{where}: descriptor L2 distance {l2:E2} from face-api's");
                Assert.Equal(fixture.Manifest.Id, embedding.Pack);

                maxBox = Math.Max(maxBox, box);
                maxLandmark = Math.Max(maxLandmark, landmark);
                maxL2 = Math.Max(maxL2, l2);
                faceCount++;
            }
        }

        Assert.Equal(34, faceCount);
        output.WriteLine($"34 faces: box max {maxBox:E2} px, landmarks max {maxLandmark:E2} px, descriptor L2 max {maxL2:E2}");
    }

    private static double BoxError(FaceBox expected, FaceBox actual) => new[]
    {
        Math.Abs(expected.X - actual.X), Math.Abs(expected.Y - actual.Y),
        Math.Abs(expected.Width - actual.Width), Math.Abs(expected.Height - actual.Height),
    }.Max();
}
