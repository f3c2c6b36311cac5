using IntelliFace.Detection;

namespace IntelliFace.Alignment;

/// <summary>
/// The rectangle face-api 1.7.15 crops for the recognition network
/// (<c>landmarks.align(null, { useDlibAlignment: true })</c>): an axis-aligned square placed from
/// the eye and mouth centres, no rotation.
/// </summary>
internal static class DlibFaceAligner
{
    // face-api's alignment constants: the square is eye-to-mouth distance / 0.45 wide, its left
    // edge half a side left of the reference point and its top 0.43 of a side above it.
    private const double RelativeScale = 0.45;
    private const double RelativeX = 0.5;
    private const double RelativeY = 0.43;

    public static DescriptorRects Align(Landmarks68 landmarks, int imageWidth, int imageHeight)
    {
        var leftEye = CentreOf(landmarks.LeftEye);
        var rightEye = CentreOf(landmarks.RightEye);
        var mouth = CentreOf(landmarks.Mouth);

        var eyeToMouth = (DistanceBetween(mouth, leftEye) + DistanceBetween(mouth, rightEye)) / 2;
        var size = (int)Math.Floor(eyeToMouth / RelativeScale);
        var reference = CentreOf([leftEye, rightEye, mouth]);
        var x = (int)Math.Floor(Math.Max(0, reference.X - RelativeX * size));
        var y = (int)Math.Floor(Math.Max(0, reference.Y - RelativeY * size));

        // face-api bounds the size by the landmark crop's size plus x (its "image" dimensions are
        // the crop's); that never binds in practice but is kept.
        var alignRect = new PixelRect(x, y, Math.Min(size, landmarks.Crop.Width + x), Math.Min(size, landmarks.Crop.Height + y));
        var crop = new FaceBox(alignRect.X, alignRect.Y, alignRect.Width, alignRect.Height).ClipAtImageBorders(imageWidth, imageHeight);
        return new DescriptorRects(alignRect, crop);
    }

    // getCenterPoint(): a running sum from (0, 0), divided once.
    private static PointD CentreOf(ReadOnlySpan<PointD> points)
    {
        double sumX = 0, sumY = 0;
        foreach (var point in points)
        {
            sumX += point.X;
            sumY += point.Y;
        }

        return new PointD(sumX / points.Length, sumY / points.Length);
    }

    private static double DistanceBetween(PointD a, PointD b)
    {
        var dx = a.X - b.X;
        var dy = a.Y - b.Y;
        return Math.Sqrt(dx * dx + dy * dy);
    }
}

/// <param name="AlignRect">The dlib-style square, possibly past the right/bottom image border.</param>
/// <param name="Crop">What is sliced for the recognition network: <paramref name="AlignRect"/> clipped to the image.</param>
internal readonly record struct DescriptorRects(PixelRect AlignRect, PixelRect Crop);
