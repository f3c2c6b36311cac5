using IntelliFace.Detection;
using IntelliFace.Imaging;

namespace IntelliFace.Tests.FaceApi;

public sealed class SsdInputImageTests
{
    [Fact]
    public void An_image_whose_longer_side_is_the_input_size_is_only_padded_at_the_bottom_and_made_planar()
    {
        using var image = Image(2, 1, [10, 20, 30, 40, 50, 60]);
        var planes = new float[3 * 2 * 2];

        SsdInputImage.Write(image, 2, planes);

        Assert.Equal(new float[] { 10, 40, 0, 0, 20, 50, 0, 0, 30, 60, 0, 0 }, planes);
    }

    [Fact]
    public void Resizing_samples_the_zero_padded_square_at_dst_times_in_over_out_without_half_pixel_centres()
    {
        // Red channel of a 3x2 image; the square is 3x3 with a zero bottom row. Scale 1.5: output
        // index 1 reads source 1.5, halfway between source indices 1 and 2.
        using var image = Image(3, 2,
        [
            0, 0, 0, 10, 0, 0, 20, 0, 0,
            30, 0, 0, 40, 0, 0, 50, 0, 0,
        ]);
        var planes = new float[3 * 2 * 2];

        SsdInputImage.Write(image, 2, planes);

        // (1,0): 10 + (20 - 10) * 0.5; (0,1): 30 + (0 - 30) * 0.5; (1,1): 45 halfway to the zero row.
        Assert.Equal(new float[] { 0, 15, 15, 22.5f }, planes[..4]);
        Assert.All(planes[4..], value => Assert.Equal(0f, value));
    }

    private static RgbImage Image(int width, int height, byte[] rgb)
    {
        var image = new RgbImage(width, height);
        rgb.CopyTo(image.Pixels);
        return image;
    }
}
