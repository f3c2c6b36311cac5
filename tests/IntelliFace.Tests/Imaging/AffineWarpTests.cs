using IntelliFace.Imaging;

namespace IntelliFace.Tests.Imaging;

public sealed class AffineWarpTests
{
    [Fact]
    public void The_identity_copies_the_image_exactly()
    {
        using var source = Gradient(7, 5);

        using var warped = AffineWarp.Bilinear(source, new AffineTransform(1, 0, 0, 0, 1, 0), 7, 5);

        Assert.True(source.Pixels.SequenceEqual(warped.Pixels));
    }

    [Fact]
    public void A_shift_by_whole_pixels_moves_the_pixels_and_fills_black_where_the_source_ends()
    {
        using var source = Gradient(6, 4);

        using var warped = AffineWarp.Bilinear(source, new AffineTransform(1, 0, 2, 0, 1, -1), 6, 4);

        for (var y = 0; y < 4; y++)
        for (var x = 0; x < 6; x++)
        {
            var (sx, sy) = (x - 2, y + 1);
            var inside = sx >= 0 && sy < 4;
            Assert.Equal(inside ? source.Pixels[(sy * 6 + sx) * 3] : (byte)0, warped.Pixels[(y * 6 + x) * 3]);
        }
    }

    [Fact]
    public void Half_a_pixel_gives_the_rounded_mean_of_the_two_neighbours()
    {
        using var source = new RgbImage(2, 1);
        source.Pixels[0] = 10;
        source.Pixels[3] = 15;

        // Result (0, 0) samples the source at x = 0.5: (10 + 15) / 2 = 12.5, rounded up in fixed point.
        using var warped = AffineWarp.Bilinear(source, new AffineTransform(1, 0, -0.5, 0, 1, 0), 1, 1);

        Assert.Equal(13, warped.Pixels[0]);
    }

    [Fact]
    public void The_inverse_undoes_the_map()
    {
        var map = new AffineTransform(0.8, -0.6, 12, 0.6, 0.8, -3);

        var inverse = map.Inverse();

        var (x, y) = (5.0, 7.0);
        var (u, v) = (map.M00 * x + map.M01 * y + map.M02, map.M10 * x + map.M11 * y + map.M12);
        Assert.Equal(x, inverse.M00 * u + inverse.M01 * v + inverse.M02, 12);
        Assert.Equal(y, inverse.M10 * u + inverse.M11 * v + inverse.M12, 12);
    }

    private static RgbImage Gradient(int width, int height)
    {
        var image = new RgbImage(width, height);
        for (var i = 0; i < image.ByteLength; i++) image.Pixels[i] = (byte)(i * 7 % 256);
        return image;
    }
}
