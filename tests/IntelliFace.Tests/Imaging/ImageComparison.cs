using System.Collections.Concurrent;
using IntelliFace.Imaging;

namespace IntelliFace.Tests.Imaging;

/// <summary>Pixel statistics the decoder tests compare with, and shared-photo loading.</summary>
internal static class ImageComparison
{
    public static ImageIntake Intake { get; } = new();

    /// <summary>Decodes a file under <c>../shared/faces</c>, e.g. <c>("deepface", "img1.jpg")</c>.</summary>
    public static RgbImage DecodeShared(params string[] pathUnderFaces) =>
        Intake.Decode(File.ReadAllBytes(SharedData.PathOf(["faces", .. pathUnderFaces])));

    /// <summary>
    /// A decode shared by every test that compares against it (read it, never dispose it): the
    /// reference photos are decoded once per run instead of once per case.
    /// </summary>
    public static RgbImage Reference(params string[] pathUnderFaces) =>
        References.GetOrAdd(string.Join('/', pathUnderFaces), _ => new Lazy<RgbImage>(() => DecodeShared(pathUnderFaces))).Value;

    private static readonly ConcurrentDictionary<string, Lazy<RgbImage>> References = new();

    /// <summary>The source downscaled (area averaging) to the size of <paramref name="like"/>.</summary>
    public static RgbImage DownscaledLike(RgbImage source, RgbImage like)
    {
        var scaled = ImageResampler.DownscaleToFit(source, Math.Max(like.Width, like.Height)).Image;
        Assert.Equal((like.Width, like.Height), (scaled.Width, scaled.Height));
        return scaled;
    }

    /// <summary>Mean absolute difference per channel value, 0-255.</summary>
    public static double MeanAbsoluteDifference(RgbImage a, RgbImage b)
    {
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        ReadOnlySpan<byte> x = a.Pixels, y = b.Pixels;
        long sum = 0;
        for (var i = 0; i < x.Length; i++) sum += Math.Abs(x[i] - y[i]);
        return (double)sum / x.Length;
    }

    /// <summary>
    /// Mean absolute difference between a grey image (R = G = B is asserted) and the luma of a colour
    /// one, computed as Pillow's <c>convert("L")</c> does (ITU-R 601-2, 16-bit fixed point).
    /// </summary>
    public static double MeanAbsoluteDifferenceToLuma(RgbImage gray, RgbImage color)
    {
        Assert.Equal((gray.Width, gray.Height), (color.Width, color.Height));
        ReadOnlySpan<byte> g = gray.Pixels, c = color.Pixels;
        long sum = 0;
        for (var i = 0; i < g.Length; i += 3)
        {
            Assert.True(g[i] == g[i + 1] && g[i] == g[i + 2], $"pixel {i / 3} of a grey image is not grey");
            var luma = (c[i] * 19595 + c[i + 1] * 38470 + c[i + 2] * 7471 + 0x8000) >> 16;
            sum += Math.Abs(g[i] - luma);
        }
        return (double)sum / (g.Length / 3);
    }
}
