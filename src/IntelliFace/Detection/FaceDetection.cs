namespace IntelliFace.Detection;

/// <summary>
/// A rectangle in image pixels, unrounded: top-left corner (<see cref="X"/>, <see cref="Y"/>) and
/// size. Origin at the top-left corner of the top-left pixel of the upright image, x to the right,
/// y down; pixel (c, r) covers [c, c+1) x [r, r+1). May extend past the image borders.
/// </summary>
public readonly record struct FaceBox(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;

    public double Bottom => Y + Height;

    /// <summary>
    /// The integer pixel rectangle face-api slices for this box (<c>Box.clipAtImageBorders</c>):
    /// clamp the top-left to 0 and the size to the image, then floor x, y, width and height
    /// <em>separately</em>, so the right edge is floor(x) + floor(width), not floor(right).
    /// </summary>
    public PixelRect ClipAtImageBorders(int imageWidth, int imageHeight)
    {
        var clippedX = Math.Max(X, 0);
        var clippedY = Math.Max(Y, 0);
        var clippedWidth = Math.Min(Right - clippedX, imageWidth - clippedX);
        var clippedHeight = Math.Min(Bottom - clippedY, imageHeight - clippedY);
        return new PixelRect(
            (int)Math.Floor(clippedX),
            (int)Math.Floor(clippedY),
            (int)Math.Floor(clippedWidth),
            (int)Math.Floor(clippedHeight));
    }
}

/// <summary>
/// An integer rectangle of image pixels: columns <see cref="X"/> .. X + <see cref="Width"/> - 1 and
/// rows <see cref="Y"/> .. Y + <see cref="Height"/> - 1.
/// </summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    public bool IsEmpty => Width <= 0 || Height <= 0;

    /// <summary>True when every pixel of the rectangle lies inside a <paramref name="imageWidth"/> x <paramref name="imageHeight"/> image.</summary>
    public bool FitsIn(int imageWidth, int imageHeight) =>
        X >= 0 && Y >= 0 && !IsEmpty && Right <= imageWidth && Bottom <= imageHeight;
}

/// <summary>A point in image pixels (same axes as <see cref="FaceBox"/>), unrounded.</summary>
public readonly record struct PointD(double X, double Y);

/// <summary>
/// A detected face: the detector's confidence (0..1, float32 as the network produced it) and the
/// face's box in pixels of the image the detector was given.
/// </summary>
public readonly record struct FaceDetection(float Score, FaceBox Box);
