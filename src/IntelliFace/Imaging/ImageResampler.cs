using System.Buffers;
using System.Numerics.Tensors;

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
        var columns = Footprints.Of(source.Width, width);
        var rows = Footprints.Of(source.Height, height);
        var rowLength = source.Width * 3;
        var buffer = ArrayPool<float>.Shared.Rent(2 * rowLength);
        try
        {
            var converted = buffer.AsSpan(0, rowLength);
            var blended = buffer.AsSpan(rowLength, rowLength);
            var result = new RgbImage(width, height);
            for (var y = 0; y < height; y++)
            {
                // Vertically first: the weighted sum of the source rows under this result row...
                blended.Clear();
                for (var t = rows.Start[y]; t < rows.Start[y + 1]; t++)
                {
                    TensorPrimitives.ConvertTruncating<byte, float>(source.Row(rows.Index[t]), converted);
                    TensorPrimitives.MultiplyAdd(converted, rows.Weight[t], blended, blended);
                }
                // ...then horizontally along that blended row. Weights sum to 1, so the sums stay within 0-255.
                var target = result.Row(y);
                for (var x = 0; x < width; x++)
                {
                    float r = 0, g = 0, b = 0;
                    for (var t = columns.Start[x]; t < columns.Start[x + 1]; t++)
                    {
                        var i = columns.Index[t] * 3;
                        var weight = columns.Weight[t];
                        r += weight * blended[i];
                        g += weight * blended[i + 1];
                        b += weight * blended[i + 2];
                    }
                    target[x * 3] = (byte)MathF.Round(r);
                    target[x * 3 + 1] = (byte)MathF.Round(g);
                    target[x * 3 + 2] = (byte)MathF.Round(b);
                }
            }
            return result;
        }
        finally
        {
            // The blended rows are still the photo: wipe them before the pool hands them out again.
            buffer.AsSpan(0, 2 * rowLength).Clear();
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// For each result index d, the source indices its footprint [d*f, (d+1)*f) covers (f = source
    /// length / result length) and each one's covered fraction of the footprint (weights sum to 1):
    /// entries Start[d] to Start[d + 1] - 1 of Index and Weight.
    /// </summary>
    private sealed record Footprints(int[] Start, int[] Index, float[] Weight)
    {
        public static Footprints Of(int sourceLength, int resultLength)
        {
            var factor = (double)sourceLength / resultLength;
            var start = new int[resultLength + 1];
            var index = new List<int>(sourceLength + resultLength);
            var weight = new List<float>(sourceLength + resultLength);
            for (var d = 0; d < resultLength; d++)
            {
                start[d] = index.Count;
                double from = d * factor, to = Math.Min((d + 1) * factor, sourceLength);
                for (var s = (int)Math.Floor(from); s < to; s++)
                {
                    var covered = Math.Min(to, s + 1) - Math.Max(from, s);
                    if (covered <= 1e-9) continue; // a rounding sliver, not a real overlap
                    index.Add(s);
                    weight.Add((float)(covered / factor));
                }
            }
            start[resultLength] = index.Count;
            return new Footprints(start, [.. index], [.. weight]);
        }
    }
}
