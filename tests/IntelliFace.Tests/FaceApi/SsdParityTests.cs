using IntelliFace.Detection;
using IntelliFace.Models;
using Xunit.Abstractions;

namespace IntelliFace.Tests.FaceApi;

/// <summary>The SSD detector against face-api 1.7.15's own results (../shared/golden/faceapi).</summary>
public sealed class SsdParityTests(SsdDetectorFixture fixture, ITestOutputHelper output) : IClassFixture<SsdDetectorFixture>
{
    private const double ScoreTolerance = 1e-5;
    private const double BoxTolerancePx = 0.01;

    public static TheoryData<string> GoldenImages()
    {
        var data = new TheoryData<string>();
        foreach (var image in FaceApiGolden.Images) data.Add(image.File);
        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenImages))]
    public void Finds_the_faces_face_api_finds_in_the_same_order_with_the_same_scores_and_boxes(string file)
    {
        var expected = FaceApiGolden.Images.Single(i => i.File == file);
        using var image = FaceApiGolden.LoadPng(file);
        Assert.Equal(expected.Width, image.Width);
        Assert.Equal(expected.Height, image.Height);

        var detections = fixture.Detector.Detect(image, minConfidence: 0.5f, maxResults: 100);

        var faces = expected.Faces;
        Assert.Equal(faces.Count, detections.Count);
        double maxScoreError = 0, maxBoxError = 0;
        for (var i = 0; i < faces.Count; i++)
        {
            var score = faces[i].Score;
            var box = faces[i].Box;
            var actual = detections[i];
            var scoreError = Math.Abs(actual.Score - (double)score);
            var boxError = new[]
            {
                Math.Abs(actual.Box.X - box.X),
                Math.Abs(actual.Box.Y - box.Y),
                Math.Abs(actual.Box.Width - box.Width),
                Math.Abs(actual.Box.Height - box.Height),
            }.Max();
            maxScoreError = Math.Max(maxScoreError, scoreError);
            maxBoxError = Math.Max(maxBoxError, boxError);
            Assert.True(scoreError <= ScoreTolerance, $"{file} face {i}: score {actual.Score:R}, face-api {score:R} (error {scoreError:E2})");
            Assert.True(boxError <= BoxTolerancePx, $"{file} face {i}: box {actual.Box}, face-api {box} (error {boxError:E2} px)");
        }

        output.WriteLine($"{file}: {faces.Count} faces, max score error {maxScoreError:E2}, max box error {maxBoxError:E2} px");
    }
}

/// <summary>One detector for all parity tests, built from the installed faceapi-dlib pack (tests fail, not skip, without it).</summary>
public sealed class SsdDetectorFixture : IDisposable
{
    private readonly SsdFaceDetector _detector;

    public SsdDetectorFixture()
    {
        var pack = PackManifest.Load("faceapi-dlib");
        var store = ModelStore.FromEnvironment();
        store.VerifyInstalled(pack);
        _detector = new SsdFaceDetector(store.FolderOf(pack, "ssd_mobilenetv1_model.bin"), intraOpThreads: 1);
    }

    internal SsdFaceDetector Detector => _detector;

    public void Dispose() => _detector.Dispose();
}
