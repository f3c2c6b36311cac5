using SkiaSharp;

namespace IntelliFace.Imaging;

/// <summary>
/// Rotates and flips decoded pixels into their upright position according to the EXIF orientation
/// (<see cref="SKEncodedOrigin"/>, whose values are the EXIF Orientation values 1-8). Decoders hand
/// back pixels as stored; applying the tag is ours to do.
/// </summary>
internal static class ExifOrientation
{
    /// <summary>A new upright image; <paramref name="stored"/> is left as it is (the caller disposes it).</summary>
    public static RgbImage ToUpright(RgbImage stored, SKEncodedOrigin origin)
    {
        int w = stored.Width, h = stored.Height;
        // Upright pixel (x, y) comes from stored pixel index first + x*stepX + y*stepY.
        var (first, stepX, stepY) = origin switch
        {
            SKEncodedOrigin.TopLeft => (0, 1, w),
            SKEncodedOrigin.TopRight => (w - 1, -1, w),                     // mirrored horizontally
            SKEncodedOrigin.BottomRight => ((h - 1) * w + w - 1, -1, -w),   // rotated 180
            SKEncodedOrigin.BottomLeft => ((h - 1) * w, 1, -w),             // mirrored vertically
            SKEncodedOrigin.LeftTop => (0, w, 1),                           // transposed
            SKEncodedOrigin.RightTop => ((h - 1) * w, -w, 1),               // needs 90 clockwise
            SKEncodedOrigin.RightBottom => ((h - 1) * w + w - 1, -w, -1),   // transversed
            SKEncodedOrigin.LeftBottom => (w - 1, w, -1),                   // needs 90 counter-clockwise
            _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "Not an EXIF orientation."),
        };
        var swapsAxes = origin >= SKEncodedOrigin.LeftTop;
        var upright = swapsAxes ? new RgbImage(h, w) : new RgbImage(w, h);
        ReadOnlySpan<byte> source = stored.Pixels;
        var target = upright.Pixels;
        var d = 0;
        for (var y = 0; y < upright.Height; y++)
        {
            var s = first + y * stepY;
            for (var x = 0; x < upright.Width; x++, s += stepX, d += 3)
            {
                var p = s * 3;
                target[d] = source[p];
                target[d + 1] = source[p + 1];
                target[d + 2] = source[p + 2];
            }
        }
        return upright;
    }
}
