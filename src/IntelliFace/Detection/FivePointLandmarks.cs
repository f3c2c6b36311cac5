namespace IntelliFace.Detection;

/// <summary>
/// The five facial points a detector such as YuNet gives, in image pixels. "Right" and "left" are
/// the subject's: the right eye appears on the image's left side. The order of
/// <see cref="ToArray"/> is the order of YuNet's outputs and of the ArcFace alignment template.
/// </summary>
public readonly record struct FivePointLandmarks(
    PointD RightEye, PointD LeftEye, PointD NoseTip, PointD RightMouthCorner, PointD LeftMouthCorner)
{
    public const int Count = 5;

    public PointD[] ToArray() => [RightEye, LeftEye, NoseTip, RightMouthCorner, LeftMouthCorner];

    public static FivePointLandmarks FromArray(ReadOnlySpan<PointD> points)
    {
        if (points.Length != Count) throw new ArgumentException($"Five points are needed, not {points.Length}.", nameof(points));
        return new FivePointLandmarks(points[0], points[1], points[2], points[3], points[4]);
    }

    /// <summary>The same points in the coordinates of an image scaled by <paramref name="factor"/>.</summary>
    public FivePointLandmarks Scaled(double factor)
    {
        static PointD Scale(PointD p, double f) => new(p.X * f, p.Y * f);
        return new FivePointLandmarks(
            Scale(RightEye, factor), Scale(LeftEye, factor), Scale(NoseTip, factor),
            Scale(RightMouthCorner, factor), Scale(LeftMouthCorner, factor));
    }
}
