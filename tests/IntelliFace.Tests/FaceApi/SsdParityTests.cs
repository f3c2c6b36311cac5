using System.Text.Json;
using IntelliFace.Detection;
using IntelliFace.Imaging;
using IntelliFace.Models;
using SkiaSharp;
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
        foreach (var image in Golden.RootElement.GetProperty("images").EnumerateArray())
            data.Add(image.GetProperty("file").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenImages))]
    public void Finds_the_faces_face_api_finds_in_the_same_order_with_the_same_scores_and_boxes(string file)
    {
        var expected = Golden.RootElement.GetProperty("images").EnumerateArray().Single(i => i.GetProperty("file").GetString() == file);
        using var image = ReadPng(SharedData.PathOf("golden", "faceapi", "inputs", file));
        Assert.Equal(expected.GetProperty("width").GetInt32(), image.Width);
        Assert.Equal(expected.GetProperty("height").GetInt32(), image.Height);

        var detections = fixture.Detector.Detect(image, minConfidence: 0.5f, maxResults: 100);

        var faces = expected.GetProperty("faces").EnumerateArray().ToArray();
        Assert.Equal(faces.Length, detections.Count);
        double maxScoreError = 0, maxBoxError = 0;
        for (var i = 0; i < faces.Length; i++)
        {
            var score = (float)faces[i].GetProperty("score").GetDouble();
            var box = faces[i].GetProperty("box");
            var actual = detections[i];
            var scoreError = Math.Abs(actual.Score - (double)score);
            var boxError = new[]
            {
                Math.Abs(actual.Box.X - box.GetProperty("x").GetDouble()),
                Math.Abs(actual.Box.Y - box.GetProperty("y").GetDouble()),
                Math.Abs(actual.Box.Width - box.GetProperty("width").GetDouble()),
                Math.Abs(actual.Box.Height - box.GetProperty("height").GetDouble()),
            }.Max();
            maxScoreError = Math.Max(maxScoreError, scoreError);
            maxBoxError = Math.Max(maxBoxError, boxError);
            Assert.True(scoreError <= ScoreTolerance, $"{file} face {i}: score {actual.Score:R}, face-api {score:R} (error {scoreError:E2})");
            Assert.True(boxError <= BoxTolerancePx, $"{file} face {i}: box {actual.Box}, face-api {box} (error {boxError:E2} px)");
        }

        output.WriteLine($"{file}: {faces.Length} faces, max score error {maxScoreError:E2}, max box error {maxBoxError:E2} px");
    }

    private static JsonDocument Golden { get; } =
        JsonDocument.Parse(File.ReadAllBytes(SharedData.PathOf("golden", "faceapi", "golden.json")));

    private static RgbImage ReadPng(string path)
    {
        using var codec = SKCodec.Create(path) ?? throw new InvalidOperationException($"Cannot decode {path}.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success) throw new InvalidOperationException($"Decoding {path} failed: {result}.");

        var rgba = bitmap.GetPixelSpan();
        var image = new RgbImage(info.Width, info.Height);
        var pixels = image.Pixels;
        for (int p = 0, q = 0; q < pixels.Length; p += 4, q += 3)
        {
            pixels[q] = rgba[p];
            pixels[q + 1] = rgba[p + 1];
            pixels[q + 2] = rgba[p + 2];
        }

        return image;
    }
}

/// <summary>One detector for all parity tests, built from the installed faceapi-dlib pack (tests fail, not skip, without it).</summary>
public sealed class SsdDetectorFixture : IDisposable
{
    private readonly SsdFaceDetector _detector;

    public SsdDetectorFixture()
    {
        var pack = PackManifest.Load(PackManifest.DefaultPackName);
        var store = ModelStore.FromEnvironment();
        store.VerifyInstalled(pack);
        _detector = new SsdFaceDetector(store.PackFolder(pack), intraOpThreads: 1);
    }

    internal SsdFaceDetector Detector => _detector;

    public void Dispose() => _detector.Dispose();
}
