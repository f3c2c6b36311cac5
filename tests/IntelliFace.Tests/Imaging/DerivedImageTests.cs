using IntelliFace.Imaging;
using SkiaSharp;
using static IntelliFace.Tests.Imaging.ImageComparison;

namespace IntelliFace.Tests.Imaging;

/// <summary>
/// Decodes of the derived files against decodes of the photos they were made from (derived.tsv).
/// Decoding is deterministic, so each bound is the measured mean absolute difference (0-255 per
/// channel value) plus headroom; a wrong orientation scores 40 or more on these photos. Derived
/// files smaller than their source are compared with the source area-downscaled to their size,
/// so the bound also covers the difference between that filter and the one that made them.
/// </summary>
public class DerivedImageTests
{
    [Theory]
    [InlineData(2)] // measured 1.694
    [InlineData(3)] // 1.695
    [InlineData(4)] // 1.697
    [InlineData(5)] // 1.696
    [InlineData(6)] // 1.694
    [InlineData(7)] // 1.695
    [InlineData(8)] // 1.696; applying a wrong orientation instead gives 78
    public void An_exif_oriented_copy_stands_upright_like_its_source(int orientation)
    {
        using var oriented = DecodeShared("hard", "derived", $"exif_orient{orientation}__img1.jpg");
        var source = Reference("deepface", "img1.jpg");
        using var expected = DownscaledLike(source, oriented);
        Assert.InRange(MeanAbsoluteDifference(oriented, expected), 0, 2.0);
    }

    [Theory]
    [InlineData("cmyk__img2.jpg", "img2.jpg", 2.5)]          // measured 1.998 (4-component JPEG)
    [InlineData("q10_progressive__img2.jpg", "img2.jpg", 8.0)] // 6.678 (quality 10)
    [InlineData("rgb16__img7.png", "img7.jpg", 1.2)]         // 0.818 (16 bits per channel)
    [InlineData("palette__img10.png", "img10.jpg", 3.0)]     // 2.246 (256-colour palette, same size)
    [InlineData("tiny64w__img11.jpg", "img11.jpg", 4.0)]     // 3.026 (600x800 down to 64x85)
    public void A_colour_copy_decodes_like_its_source(string derived, string source, double bound)
    {
        using var copy = DecodeShared("hard", "derived", derived);
        var original = Reference("deepface", source);
        using var expected = copy.Width == original.Width ? null : DownscaledLike(original, copy);
        Assert.InRange(MeanAbsoluteDifference(copy, expected ?? original), 0, bound);
    }

    [Theory]
    [InlineData("gray8__img5.png", "img5.jpg", 0.0)]  // measured exactly 0: Pillow's decode of img5, converted to luma
    [InlineData("gray__img5.jpg", "img5.jpg", 1.0)]   // 0.496 (1-component JPEG)
    [InlineData("gray16__img7.png", "img7.jpg", 1.2)] // 0.815 (16-bit grey, downscaled from 1363x2048)
    public void A_grey_copy_decodes_to_grey_RGB_equal_to_its_sources_luma(string derived, string source, double bound)
    {
        using var gray = DecodeShared("hard", "derived", derived);
        var original = Reference("deepface", source);
        using var expected = gray.Width == original.Width ? null : DownscaledLike(original, gray);
        Assert.InRange(MeanAbsoluteDifferenceToLuma(gray, expected ?? original), 0, bound);
    }

    [Fact]
    public void A_transparent_copy_is_white_where_transparent_and_its_source_where_opaque()
    {
        var encoded = File.ReadAllBytes(SharedData.PathOf("faces", "hard", "derived", "rgba_transparent__img6.png"));
        var alpha = AlphaOf(encoded);
        using var flattened = Intake.Decode(encoded);
        var original = Reference("deepface", "img6.jpg");
        using var expected = DownscaledLike(original, flattened);

        ReadOnlySpan<byte> actual = flattened.Pixels, reference = expected.Pixels;
        long opaqueDifference = 0, opaqueValues = 0;
        for (var p = 0; p < alpha.Length; p++)
        {
            var pixel = actual.Slice(p * 3, 3);
            if (alpha[p] == 0)
            {
                Assert.True(pixel[0] == 255 && pixel[1] == 255 && pixel[2] == 255, $"transparent pixel {p} is not white");
                continue;
            }
            Assert.Equal(255, alpha[p]); // this file has no partial alpha; exact blending is tested on a synthetic image
            for (var c = 0; c < 3; c++) opaqueDifference += Math.Abs(pixel[c] - reference[p * 3 + c]);
            opaqueValues += 3;
        }
        Assert.Equal(185_409, alpha.Count(a => a == 0));
        Assert.InRange((double)opaqueDifference / opaqueValues, 0, 1.0); // measured 0.436
    }

    [Theory]
    [InlineData(2)] // measured 4.864 (Pillow's own test allows 17); mirrored hopper scores 62
    [InlineData(3)] // 4.864
    [InlineData(4)] // 4.860
    [InlineData(5)] // 4.661
    [InlineData(6)] // 4.661
    [InlineData(7)] // 4.661
    [InlineData(8)] // 4.661
    public void Pillows_oriented_hoppers_stand_upright_like_hopper(int orientation)
    {
        using var oriented = DecodeShared("hard", "public", $"pillow__hopper_orientation_{orientation}.jpg");
        var upright = Reference("hard", "public", "pillow__hopper.png");
        Assert.InRange(MeanAbsoluteDifference(oriented, upright), 0, 5.5);
    }

    [Theory]
    [InlineData("Landscape", 1)] // measured 2.212
    [InlineData("Landscape", 2)] // 2.803
    [InlineData("Landscape", 3)] // 2.748
    [InlineData("Landscape", 4)] // 2.212
    [InlineData("Landscape", 5)] // 3.853
    [InlineData("Landscape", 6)] // 4.146
    [InlineData("Landscape", 7)] // 4.325
    [InlineData("Landscape", 8)] // 3.815; the landscape mirrored scores 74
    [InlineData("Portrait", 1)]  // 1.756
    [InlineData("Portrait", 2)]  // 1.685
    [InlineData("Portrait", 3)]  // 1.839
    [InlineData("Portrait", 4)]  // 1.970
    [InlineData("Portrait", 5)]  // 2.767
    [InlineData("Portrait", 6)]  // 2.730
    [InlineData("Portrait", 7)]  // 2.958
    [InlineData("Portrait", 8)]  // 2.851; the portrait mirrored scores 43
    public void The_recurser_orientation_set_stands_upright_like_its_untagged_photo(string shape, int orientation)
    {
        using var oriented = DecodeShared("hard", "public", $"recurser__{shape}_{orientation}.jpg");
        var upright = Reference("hard", "public", $"recurser__{shape}_0.jpg");
        Assert.InRange(MeanAbsoluteDifference(oriented, upright), 0, 5.0);
    }

    /// <summary>The straight alpha of each pixel, read with Skia directly (the intake drops it).</summary>
    private static byte[] AlphaOf(byte[] png)
    {
        using var data = SKData.CreateCopy(png);
        using var codec = SKCodec.Create(data);
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, rgba));
        var alpha = new byte[info.Width * info.Height];
        for (var p = 0; p < alpha.Length; p++) alpha[p] = rgba[p * 4 + 3];
        return alpha;
    }
}
