using IntelliFace.Imaging;

namespace IntelliFace.Tests.Imaging;

public class ImageResamplerTests
{
    [Fact]
    public void Halving_averages_each_2x2_block_exactly()
    {
        byte[,] values =
        {
            { 10, 20, 100, 200 },
            { 30, 40, 50, 250 },
            { 0, 0, 7, 9 },
            { 4, 8, 11, 13 },
        };
        using var source = Gray(values);
        var (image, scale) = ImageResampler.DownscaleToFit(source, 2);
        using (image)
        {
            Assert.Equal(0.5, scale);
            Assert.Equal(new byte[,] { { 25, 150 }, { 3, 10 } }, GrayOf(image));
        }
    }

    [Fact]
    public void A_non_integer_factor_weights_partly_covered_pixels_by_their_covered_fraction()
    {
        // 3 -> 2 columns, footprint 1.5 source pixels: d0 = (1*s0 + 0.5*s1) / 1.5, d1 = (0.5*s1 + 1*s2) / 1.5.
        // 30, 60, 90 -> (30 + 30) / 1.5 = 40 and (30 + 90) / 1.5 = 80.
        using var row = Gray(new byte[,] { { 30, 60, 90 } });
        var (image, scale) = ImageResampler.DownscaleToFit(row, 2);
        using (image)
        {
            Assert.Equal(2.0 / 3, scale, 12);
            Assert.Equal(new byte[,] { { 40, 80 } }, GrayOf(image));
        }

        // 5x5 -> 2x2, footprint 2.5: per axis, result 0 weighs sources 0, 1, 2 by 0.4, 0.4, 0.2 and
        // result 1 weighs sources 2, 3, 4 by 0.2, 0.4, 0.4 (weighted mean positions 0.8 and 3.2).
        // With v(x, y) = 10x + 40y + 5 the mean is 10*0.8 + 40*0.8 + 5 = 45, 10*3.2 + 32 + 5 = 69,
        // 8 + 40*3.2 + 5 = 141 and 32 + 128 + 5 = 165.
        var ramp = new byte[5, 5];
        for (var y = 0; y < 5; y++)
            for (var x = 0; x < 5; x++)
                ramp[y, x] = (byte)(10 * x + 40 * y + 5);
        using var square = Gray(ramp);
        var (small, squareScale) = ImageResampler.DownscaleToFit(square, 2);
        using (small)
        {
            Assert.Equal(0.4, squareScale, 12);
            Assert.Equal(new byte[,] { { 45, 69 }, { 141, 165 } }, GrayOf(small));
        }
    }

    [Fact]
    public void The_long_side_becomes_the_limit_and_the_short_side_keeps_the_aspect_ratio()
    {
        using var photo = new RgbImage(1800, 1200);
        var (image, scale) = ImageResampler.DownscaleToFit(photo, 1280);
        using (image)
        {
            Assert.Equal((1280, 853), (image.Width, image.Height)); // 1200 * 1280 / 1800 = 853.3
            Assert.Equal(1280.0 / 1800, scale, 12);
        }
    }

    [Fact]
    public void An_image_that_already_fits_comes_back_as_an_equal_copy_with_scale_1()
    {
        using var source = Gray(new byte[,] { { 1, 2 }, { 3, 4 } });
        var (image, scale) = ImageResampler.DownscaleToFit(source, 2);
        using (image)
        {
            Assert.NotSame(source, image);
            Assert.Equal(1.0, scale);
            Assert.Equal(source.Pixels.ToArray(), image.Pixels.ToArray());
        }
    }

    private static RgbImage Gray(byte[,] values)
    {
        var image = new RgbImage(values.GetLength(1), values.GetLength(0));
        for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
            {
                var v = values[y, x];
                image.Row(y)[x * 3] = v;
                image.Row(y)[x * 3 + 1] = v;
                image.Row(y)[x * 3 + 2] = v;
            }
        return image;
    }

    private static byte[,] GrayOf(RgbImage image)
    {
        var values = new byte[image.Height, image.Width];
        for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
            {
                var pixel = image.Row(y).Slice(x * 3, 3);
                Assert.True(pixel[0] == pixel[1] && pixel[1] == pixel[2]);
                values[y, x] = pixel[0];
            }
        return values;
    }
}
