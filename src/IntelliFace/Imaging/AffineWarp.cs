namespace IntelliFace.Imaging;

/// <summary>
/// An affine map of image coordinates, x' = M00 x + M01 y + M02, y' = M10 x + M11 y + M12, in pixels
/// whose centres sit at integer coordinates (OpenCV's convention).
/// </summary>
internal readonly record struct AffineTransform(double M00, double M01, double M02, double M10, double M11, double M12)
{
    /// <summary>Where the map takes the point (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public (double X, double Y) Apply(double x, double y) => (M00 * x + M01 * y + M02, M10 * x + M11 * y + M12);

    /// <summary>The inverse map, computed as OpenCV's <c>invertAffineTransform</c> does (0 for a singular map).</summary>
    public AffineTransform Inverse()
    {
        var determinant = M00 * M11 - M01 * M10;
        var d = determinant != 0 ? 1.0 / determinant : 0;
        double a00 = M11 * d, a01 = -M01 * d, a10 = -M10 * d, a11 = M00 * d;
        return new AffineTransform(a00, a01, -a00 * M02 - a01 * M12, a10, a11, -a10 * M02 - a11 * M12);
    }
}

/// <summary>Resampling an image through an affine map.</summary>
internal static class AffineWarp
{
    // OpenCV's fixed-point bilinear warp: source coordinates in 1/1024 px rounded to 1/32 px, and
    // integer weights that sum to 2^15.
    private const int CoordinateBits = 10;
    private const int FractionBits = 5;
    private const int Fractions = 1 << FractionBits;
    private const int WeightBits = 15;

    /// <summary>
    /// The <paramref name="width"/> x <paramref name="height"/> image whose pixel (x, y) is
    /// <paramref name="source"/> at <paramref name="sourceToResult"/>⁻¹(x, y), interpolated bilinearly with
    /// black outside the source, as OpenCV's <c>warpAffine(INTER_LINEAR, BORDER_CONSTANT 0)</c> computes
    /// it on 8-bit images: source positions quantised to 1/32 pixel and fixed-point weights, so the
    /// result is OpenCV's to the bit. The caller owns (and disposes) the result.
    /// </summary>
    public static RgbImage Bilinear(RgbImage source, AffineTransform sourceToResult, int width, int height)
    {
        var map = sourceToResult.Inverse();
        ReadOnlySpan<byte> pixels = source.Pixels;
        int sourceWidth = source.Width, sourceHeight = source.Height;
        const int scale = 1 << CoordinateBits;
        const int roundingDelta = scale / Fractions / 2;

        var stepX = new int[width];
        var stepY = new int[width];
        for (var x = 0; x < width; x++)
        {
            stepX[x] = RoundHalfEven(map.M00 * x * scale);
            stepY[x] = RoundHalfEven(map.M10 * x * scale);
        }

        var result = new RgbImage(width, height);
        for (var y = 0; y < height; y++)
        {
            var rowX = RoundHalfEven((map.M01 * y + map.M02) * scale) + roundingDelta;
            var rowY = RoundHalfEven((map.M11 * y + map.M12) * scale) + roundingDelta;
            var target = result.Row(y);
            for (var x = 0; x < width; x++)
            {
                var sourceX = (rowX + stepX[x]) >> (CoordinateBits - FractionBits);
                var sourceY = (rowY + stepY[x]) >> (CoordinateBits - FractionBits);
                int left = sourceX >> FractionBits, top = sourceY >> FractionBits;
                int fx = sourceX & (Fractions - 1), fy = sourceY & (Fractions - 1);
                // (1 - fx/32)(1 - fy/32) * 2^15 and its siblings, exact in integers.
                var weightTopLeft = (Fractions - fx) * (Fractions - fy) * 32;
                var weightTopRight = fx * (Fractions - fy) * 32;
                var weightBottomLeft = (Fractions - fx) * fy * 32;
                var weightBottomRight = fx * fy * 32;
                for (var c = 0; c < 3; c++)
                {
                    var sum = Sample(pixels, sourceWidth, sourceHeight, left, top, c) * weightTopLeft
                              + Sample(pixels, sourceWidth, sourceHeight, left + 1, top, c) * weightTopRight
                              + Sample(pixels, sourceWidth, sourceHeight, left, top + 1, c) * weightBottomLeft
                              + Sample(pixels, sourceWidth, sourceHeight, left + 1, top + 1, c) * weightBottomRight;
                    target[3 * x + c] = (byte)Math.Clamp((sum + (1 << (WeightBits - 1))) >> WeightBits, 0, 255);
                }
            }
        }

        return result;
    }

    private static int Sample(ReadOnlySpan<byte> pixels, int width, int height, int column, int row, int channel) =>
        (uint)column < (uint)width && (uint)row < (uint)height ? pixels[(row * width + column) * 3 + channel] : 0;

    private static int RoundHalfEven(double value) => (int)Math.Round(value, MidpointRounding.ToEven);
}
