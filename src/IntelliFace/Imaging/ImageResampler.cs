using System.Buffers;

namespace IntelliFace.Imaging;

/// <summary>A resampled copy of an image and the factor between its coordinates and the source's.</summary>
/// <param name="Image">The new image; the caller owns (and disposes) it.</param>
/// <param name="Scale">
/// Result size / source size along the long side (1 when nothing was reduced). A point (x, y) of
/// the result maps back to (x / Scale, y / Scale) in the source; the short side is rounded to whole
/// pixels, so along it that mapping is exact to within half a result pixel.
/// </param>
internal readonly record struct ScaledImage(RgbImage Image, double Scale);

/// <summary>Downscaling by area averaging, so detection can run on a bounded image size.</summary>
internal static class ImageResampler
{
    /// <summary>
    /// A copy whose long side is at most <paramref name="maxLongSide"/> pixels, keeping the aspect
    /// ratio. Each result pixel is the mean of the source pixels under its exact footprint, partly
    /// covered pixels weighted by the covered fraction (a box filter, like OpenCV's INTER_AREA).
    /// An image that already fits is copied unchanged with a scale of 1.
    /// </summary>
    public static ScaledImage DownscaleToFit(RgbImage source, int maxLongSide)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLongSide);
        var longSide = Math.Max(source.Width, source.Height);
        if (longSide <= maxLongSide)
        {
            var copy = new RgbImage(source.Width, source.Height);
            source.Pixels.CopyTo(copy.Pixels);
            return new ScaledImage(copy, 1);
        }
        var scale = (double)maxLongSide / longSide;
        var width = Math.Max(1, (int)Math.Round(source.Width * scale));
        var height = Math.Max(1, (int)Math.Round(source.Height * scale));
        return new ScaledImage(AreaAverage(source, width, height), scale);
    }

    private static RgbImage AreaAverage(RgbImage source, int width, int height)
    {
        var columns = Footprints(source.Width, width);
        var rows = Footprints(source.Height, height);
        // Rows averaged horizontally first (width x source height), then columns of that.
        var horizontalLength = width * source.Height * 3;
        var horizontal = ArrayPool<float>.Shared.Rent(horizontalLength);
        var line = ArrayPool<float>.Shared.Rent(width * 3);
        try
        {
            for (var y = 0; y < source.Height; y++)
            {
                ReadOnlySpan<byte> sourceRow = source.Row(y);
                var row = horizontal.AsSpan(y * width * 3, width * 3);
                for (var x = 0; x < width; x++)
                {
                    float r = 0, g = 0, b = 0;
                    foreach (var (index, weight) in columns[x])
                    {
                        r += weight * sourceRow[index * 3];
                        g += weight * sourceRow[index * 3 + 1];
                        b += weight * sourceRow[index * 3 + 2];
                    }
                    row[x * 3] = r;
                    row[x * 3 + 1] = g;
                    row[x * 3 + 2] = b;
                }
            }

            var result = new RgbImage(width, height);
            var sum = line.AsSpan(0, width * 3);
            for (var y = 0; y < height; y++)
            {
                sum.Clear();
                foreach (var (index, weight) in rows[y])
                {
                    ReadOnlySpan<float> row = horizontal.AsSpan(index * width * 3, width * 3);
                    for (var i = 0; i < sum.Length; i++) sum[i] += weight * row[i];
                }
                var target = result.Row(y);
                for (var i = 0; i < sum.Length; i++) target[i] = (byte)Math.Clamp(MathF.Round(sum[i]), 0, 255);
            }
            return result;
        }
        finally
        {
            // Averaged pixels are still the photo: wipe them before the pool hands them out again.
            horizontal.AsSpan(0, horizontalLength).Clear();
            line.AsSpan(0, width * 3).Clear();
            ArrayPool<float>.Shared.Return(horizontal);
            ArrayPool<float>.Shared.Return(line);
        }
    }

    /// <summary>
    /// For each result index, the source indices its footprint [d*f, (d+1)*f) covers (f = source
    /// length / result length) and each one's covered fraction of the footprint; weights sum to 1.
    /// </summary>
    private static (int Index, float Weight)[][] Footprints(int sourceLength, int resultLength)
    {
        var factor = (double)sourceLength / resultLength;
        var footprints = new (int, float)[resultLength][];
        for (var d = 0; d < resultLength; d++)
        {
            double start = d * factor, end = Math.Min((d + 1) * factor, sourceLength);
            var first = (int)Math.Floor(start);
            var last = Math.Min((int)Math.Ceiling(end), sourceLength) - 1;
            var taps = new List<(int, float)>(last - first + 1);
            for (var s = first; s <= last; s++)
            {
                var covered = Math.Min(end, s + 1) - Math.Max(start, s);
                if (covered > 1e-9) taps.Add((s, (float)(covered / factor)));
            }
            footprints[d] = [.. taps];
        }
        return footprints;
    }
}
