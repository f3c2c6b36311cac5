using IntelliFace.Detection;
using Xunit.Abstractions;

namespace IntelliFace.Tests.YuNet;

/// <summary>Our YuNet decoding against OpenCV's <c>FaceDetectorYN</c> on the golden PNGs (../shared/golden/yunet).</summary>
public sealed class YuNetParityTests(YuNetDetectorFixture fixture, ITestOutputHelper output) : IClassFixture<YuNetDetectorFixture>
{
    private const double GeometryTolerancePx = 0.05;
    private const double ScoreTolerance = 1e-4;

    public static TheoryData<string> GoldenImages()
    {
        var data = new TheoryData<string>();
        foreach (var image in YuNetGolden.Images) data.Add(image.File);
        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenImages))]
    public void Finds_the_faces_OpenCV_finds_in_its_order_with_its_boxes_landmarks_and_scores(string file)
    {
        var golden = YuNetGolden.Images.Single(i => i.File == file);
        using var image = YuNetGolden.LoadPng(file);
        Assert.Equal((golden.Width, golden.Height), (image.Width, image.Height));

        var faces = fixture.Detector.DetectFitting(image, YuNetFaceDetector.DefaultScoreThreshold, YuNetFaceDetector.DefaultNmsThreshold, maxFaces: 5000);

        Assert.Equal(golden.Faces.Count, faces.Count);
        double maxGeometryError = 0, maxScoreError = 0;
        for (var i = 0; i < faces.Count; i++)
        {
            var geometryError = GeometryError(golden.Faces[i], faces[i]);
            var scoreError = Math.Abs(golden.Faces[i].Detection.Score - faces[i].Detection.Score);
            Assert.True(geometryError <= GeometryTolerancePx, $"{file} face {i}: box or landmark {geometryError:E2} px off ({faces[i]} vs {golden.Faces[i]})");
            Assert.True(scoreError <= ScoreTolerance, $"{file} face {i}: score {faces[i].Detection.Score:R}, OpenCV {golden.Faces[i].Detection.Score:R}");
            maxGeometryError = Math.Max(maxGeometryError, geometryError);
            maxScoreError = Math.Max(maxScoreError, scoreError);
        }

        output.WriteLine($"{file}: {faces.Count} face(s), max geometry error {maxGeometryError:E2} px, max score error {maxScoreError:E2}");
    }

    [Fact]
    public void A_photo_larger_than_640_px_is_analysed_at_640_px_and_the_geometry_mapped_back()
    {
        // couple.png (640 x 446) with every pixel doubled: its area downscale is exactly couple.png.
        var golden = YuNetGolden.Images.Single(i => i.File == "couple.png");
        using var original = YuNetGolden.LoadPng(golden.File);
        using var doubled = new IntelliFace.Imaging.RgbImage(2 * original.Width, 2 * original.Height);
        for (var y = 0; y < doubled.Height; y++)
        for (var x = 0; x < doubled.Width; x++)
            original.Pixels.Slice((y / 2 * original.Width + x / 2) * 3, 3).CopyTo(doubled.Pixels[((y * doubled.Width + x) * 3)..]);

        var faces = fixture.Detector.Detect(doubled);

        Assert.Equal(golden.Faces.Count, faces.Count);
        for (var i = 0; i < faces.Count; i++)
        {
            var expected = golden.Faces[i];
            var doubledGolden = new YuNetFace(
                expected.Detection with { Box = new FaceBox(2 * expected.Detection.Box.X, 2 * expected.Detection.Box.Y, 2 * expected.Detection.Box.Width, 2 * expected.Detection.Box.Height) },
                expected.Landmarks.Scaled(2));
            Assert.True(GeometryError(doubledGolden, faces[i]) <= 2 * GeometryTolerancePx, $"face {i}: {faces[i]}");
        }
    }

    internal static double GeometryError(YuNetFace expected, YuNetFace actual)
    {
        var a = expected.Detection.Box;
        var b = actual.Detection.Box;
        var error = new[] { a.X - b.X, a.Y - b.Y, a.Width - b.Width, a.Height - b.Height }.Max(Math.Abs);
        foreach (var (p, q) in expected.Landmarks.ToArray().Zip(actual.Landmarks.ToArray()))
            error = Math.Max(error, Math.Max(Math.Abs(p.X - q.X), Math.Abs(p.Y - q.Y)));
        return error;
    }
}

/// <summary>One YuNet detector on the verified model file in ../shared/models, shared by a test class.</summary>
public sealed class YuNetDetectorFixture : IDisposable
{
    internal YuNetFaceDetector Detector { get; } = new(File.ReadAllBytes(YuNetGolden.ModelPath));

    public void Dispose() => Detector.Dispose();
}
