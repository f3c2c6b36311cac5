using IntelliFace.Alignment;
using IntelliFace.Imaging;
using IntelliFace.Tests.YuNet;
using Xunit.Abstractions;

namespace IntelliFace.Tests.SFace;

/// <summary>
/// The 5-point alignment against OpenCV's <c>FaceRecognizerSF::alignCrop</c> crops in
/// ../shared/golden/align-arcface112, from OpenCV's own YuNet landmarks.
/// </summary>
public sealed class ArcFaceAlignmentParityTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> GoldenFaces()
    {
        var data = new TheoryData<string, int>();
        foreach (var (image, index, _) in YuNetGolden.AllFaces) data.Add(image.File, index);
        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenFaces))]
    public void The_crop_matches_OpenCVs_pixel_for_pixel(string file, int face)
    {
        var golden = YuNetGolden.Images.Single(i => i.File == file);
        using var image = YuNetGolden.LoadPng(file);
        using var expected = AlignmentGolden.LoadCrop(golden.Stem, face);

        using var crop = ArcFaceAligner.Align(image, golden.Faces[face].Landmarks);

        var (differing, largest) = AlignmentGolden.Compare(expected, crop);
        output.WriteLine($"{file} face {face}: {differing} of {crop.ByteLength} values differ, by at most {largest}");
        Assert.Equal((ArcFaceAligner.CropSize, ArcFaceAligner.CropSize), (crop.Width, crop.Height));
        Assert.Equal(0, differing);
    }
}

/// <summary>OpenCV's aligned crops in ../shared/golden/align-arcface112 (IMAGE__faceN.png).</summary>
internal static class AlignmentGolden
{
    public static RgbImage LoadCrop(string stem, int face) =>
        new ImageIntake().Decode(File.ReadAllBytes(SharedData.PathOf("golden", "align-arcface112", $"{stem}__face{face}.png")));

    /// <summary>How many channel values differ, and the largest difference.</summary>
    public static (int Differing, int Largest) Compare(RgbImage expected, RgbImage actual)
    {
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        ReadOnlySpan<byte> a = expected.Pixels, b = actual.Pixels;
        int differing = 0, largest = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var difference = Math.Abs(a[i] - b[i]);
            if (difference == 0) continue;
            differing++;
            largest = Math.Max(largest, difference);
        }

        return (differing, largest);
    }
}
