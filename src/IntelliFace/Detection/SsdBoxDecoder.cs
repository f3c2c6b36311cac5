namespace IntelliFace.Detection;

/// <summary>
/// Turns the SSD's raw box encodings into corner boxes relative to the padded square input
/// (0..1, may overshoot), as face-api's <c>outputLayer</c> does: anchors are corner boxes
/// (ymin, xmin, ymax, xmax); encodings are (dy, dx, dh, dw) with variances 10, 10, 5, 5.
/// </summary>
/// <remarks>
/// Each step is a separate float32 operation in face-api (tfjs element-wise kernels), so the
/// arithmetic below stays in float and keeps tfjs's order of operations to give the same bits.
/// </remarks>
internal static class SsdBoxDecoder
{
    /// <param name="anchors">[count, 4] anchor corners, face-api's <c>Output/extra_dim</c>.</param>
    /// <param name="encodings">[count, 4] raw network outputs.</param>
    public static CornerBox[] Decode(ReadOnlySpan<float> anchors, ReadOnlySpan<float> encodings)
    {
        if (anchors.Length != encodings.Length || anchors.Length % 4 != 0)
            throw new ArgumentException($"{anchors.Length / 4} anchors but {encodings.Length / 4} encodings.", nameof(encodings));

        var boxes = new CornerBox[anchors.Length / 4];
        for (var i = 0; i < boxes.Length; i++)
        {
            var anchor = anchors.Slice(4 * i, 4);
            var encoding = encodings.Slice(4 * i, 4);
            var anchorHeight = anchor[2] - anchor[0];
            var anchorWidth = anchor[3] - anchor[1];
            var anchorCentreY = anchor[0] + anchorHeight / 2;
            var anchorCentreX = anchor[1] + anchorWidth / 2;

            var halfHeight = MathF.Exp(encoding[2] / 5) * anchorHeight / 2;
            var centreY = encoding[0] / 10 * anchorHeight + anchorCentreY;
            var halfWidth = MathF.Exp(encoding[3] / 5) * anchorWidth / 2;
            var centreX = encoding[1] / 10 * anchorWidth + anchorCentreX;
            boxes[i] = new CornerBox(centreY - halfHeight, centreX - halfWidth, centreY + halfHeight, centreX + halfWidth);
        }

        return boxes;
    }
}
