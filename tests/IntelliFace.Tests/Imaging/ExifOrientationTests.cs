using IntelliFace.Imaging;
using SkiaSharp;

namespace IntelliFace.Tests.Imaging;

public class ExifOrientationTests
{
    // Stored 3x2 picture "a b c / d e f"; pixel k is the bytes (10k+1, 10k+2, 10k+3).
    private const string Stored = "abc/def";

    [Theory]
    [InlineData(SKEncodedOrigin.TopLeft, "abc/def")]
    [InlineData(SKEncodedOrigin.TopRight, "cba/fed")]       // 2: mirrored horizontally
    [InlineData(SKEncodedOrigin.BottomRight, "fed/cba")]    // 3: rotated 180
    [InlineData(SKEncodedOrigin.BottomLeft, "def/abc")]     // 4: mirrored vertically
    [InlineData(SKEncodedOrigin.LeftTop, "ad/be/cf")]       // 5: transposed
    [InlineData(SKEncodedOrigin.RightTop, "da/eb/fc")]      // 6: turned 90 clockwise to stand up
    [InlineData(SKEncodedOrigin.RightBottom, "fc/eb/da")]   // 7: transversed
    [InlineData(SKEncodedOrigin.LeftBottom, "cf/be/ad")]    // 8: turned 90 counter-clockwise to stand up
    public void Each_orientation_moves_every_pixel_to_its_upright_place(SKEncodedOrigin origin, string upright)
    {
        using var stored = Picture(Stored);
        using var result = ExifOrientation.ToUpright(stored, origin);
        using var expected = Picture(upright);
        Assert.Equal((expected.Width, expected.Height), (result.Width, result.Height));
        Assert.Equal(expected.Pixels.ToArray(), result.Pixels.ToArray());
    }

    /// <summary>Rows separated by '/', one letter per pixel.</summary>
    private static RgbImage Picture(string rows)
    {
        var lines = rows.Split('/');
        var image = new RgbImage(lines[0].Length, lines.Length);
        for (var y = 0; y < lines.Length; y++)
            for (var x = 0; x < lines[y].Length; x++)
            {
                var k = lines[y][x] - 'a';
                image.Row(y)[x * 3] = (byte)(10 * k + 1);
                image.Row(y)[x * 3 + 1] = (byte)(10 * k + 2);
                image.Row(y)[x * 3 + 2] = (byte)(10 * k + 3);
            }
        return image;
    }
}
