using IntelliFace.Detection;

namespace IntelliFace.Alignment;

/// <summary>
/// The 68 facial landmarks of one face (iBUG order: jaw 0-16, brows 17-26, nose 27-35, eyes 36-41
/// and 42-47, mouth 48-67) in image pixels, with the crop the landmark network saw and its raw
/// 136 outputs (x0, y0, ..., x67, y67 as fractions of the padded 112 x 112 square).
/// </summary>
internal sealed class Landmarks68
{
    public const int PointCount = 68;
    public const int NetInputSize = 112;

    private readonly PointD[] _positions;
    private readonly float[] _rawOutput;

    private Landmarks68(PointD[] positions, PixelRect crop, float[] rawOutput)
    {
        _positions = positions;
        Crop = crop;
        _rawOutput = rawOutput;
    }

    public IReadOnlyList<PointD> Positions => _positions.AsReadOnly();

    /// <summary>The pixels the landmark network was given.</summary>
    public PixelRect Crop { get; }

    public ReadOnlySpan<float> RawOutput => _rawOutput;

    public ReadOnlySpan<PointD> LeftEye => _positions.AsSpan(36, 6);

    public ReadOnlySpan<PointD> RightEye => _positions.AsSpan(42, 6);

    public ReadOnlySpan<PointD> Mouth => _positions.AsSpan(48, 20);

    /// <summary>
    /// The pixels face-api feeds the landmark network for a detection:
    /// <c>detection.forSize(W, H).box.clipAtImageBorders(W, H)</c>.
    /// </summary>
    public static PixelRect CropFor(FaceBox detectionBox, int imageWidth, int imageHeight)
    {
        // forSize() goes through the relative box (x * (1 / W)) * W, which can move a coordinate
        // by an ulp; repeating it keeps the floors identical to face-api's.
        var reciprocalWidth = 1.0 / imageWidth;
        var reciprocalHeight = 1.0 / imageHeight;
        var resized = new FaceBox(
            detectionBox.X * reciprocalWidth * imageWidth,
            detectionBox.Y * reciprocalHeight * imageHeight,
            detectionBox.Width * reciprocalWidth * imageWidth,
            detectionBox.Height * reciprocalHeight * imageHeight);
        return resized.ClipAtImageBorders(imageWidth, imageHeight);
    }

    /// <summary>
    /// Turns the landmark network's raw outputs into image pixels as face-api 1.7.15 does,
    /// including two of its quirks (see the remarks).
    /// </summary>
    /// <param name="rawOutput">The 136 network outputs.</param>
    /// <param name="crop">The crop the network saw (<see cref="CropFor"/>).</param>
    /// <param name="detectionBox">The detection box, unrounded: face-api shifts by it, not by the crop.</param>
    /// <remarks>
    /// Quirk 1: the points are shifted by the unfloored box corner although the crop starts at its
    /// floor. Quirk 2: the padding is undone as |w - h| / 2 on each side, although the input put the
    /// odd pixel after the crop. Both are part of the reference results and are kept.
    /// </remarks>
    public static Landmarks68 Decode(ReadOnlySpan<float> rawOutput, PixelRect crop, FaceBox detectionBox)
    {
        if (rawOutput.Length != 2 * PointCount)
            throw new ArgumentException($"The landmark network gives {2 * PointCount} values, not {rawOutput.Length}.", nameof(rawOutput));
        if (crop.IsEmpty) throw new ArgumentException($"The landmark crop {crop} is empty.", nameof(crop));

        // postProcess(): dimensions and paddings are doubles filled into float32 tensors; the
        // arithmetic on the outputs is float32.
        double width = crop.Width, height = crop.Height;
        var scale = NetInputSize / Math.Max(height, width);
        var scaledWidth = width * scale;
        var scaledHeight = height * scale;
        var padX = (float)(width < height ? Math.Abs(scaledWidth - scaledHeight) / 2 : 0);
        var padY = (float)(height < width ? Math.Abs(scaledWidth - scaledHeight) / 2 : 0);
        var scaledWidthF = (float)scaledWidth;
        var scaledHeightF = (float)scaledHeight;

        var positions = new PointD[PointCount];
        for (var i = 0; i < PointCount; i++)
        {
            double relativeX = (rawOutput[2 * i] * NetInputSize - padX) / scaledWidthF;
            double relativeY = (rawOutput[2 * i + 1] * NetInputSize - padY) / scaledHeightF;

            // FaceLandmarks scales the relative point by the crop size, and shiftBy() divides it
            // back and scales again before adding the shift: repeated for identical doubles.
            var unshiftedX = relativeX * width;
            var unshiftedY = relativeY * height;
            positions[i] = new PointD(
                unshiftedX / width * width + detectionBox.X,
                unshiftedY / height * height + detectionBox.Y);
        }

        return new Landmarks68(positions, crop, rawOutput.ToArray());
    }
}
