using IntelliFace.Imaging;

namespace IntelliFace.Detection;

/// <summary>
/// The SSD's input as face-api 1.7.15 builds it (<c>NetInput.toBatchTensor(512, false)</c>): the
/// image padded with zeros on the right or bottom to a max(W, H) square, then resized to 512 x 512
/// with TensorFlow's legacy bilinear resize (no align-corners, no half-pixel centres), all in
/// float32 so the values match tfjs bit for bit.
/// </summary>
internal static class SsdInputImage
{
    /// <summary>Writes the padded, resized image as planar RGB (NCHW [1, 3, size, size]), values on the 0..255 scale.</summary>
    public static void Write(RgbImage image, int size, Span<float> planes)
    {
        if (planes.Length != 3 * size * size)
            throw new ArgumentException($"The destination holds {planes.Length} values, not 3 x {size} x {size}.", nameof(planes));

        var pixels = image.Pixels;
        int width = image.Width, height = image.Height;
        var side = Math.Max(width, height);
        var plane = size * size;
        if (side == size)
        {
            planes.Clear();
            for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            for (var c = 0; c < 3; c++)
                planes[c * plane + y * size + x] = pixels[(y * width + x) * 3 + c];
            return;
        }

        var (rows0, rows1, rowFractions) = SourceSamples(side, size);
        var (cols0, cols1, colFractions) = SourceSamples(side, size);
        for (var y = 0; y < size; y++)
        {
            int top = rows0[y], bottom = rows1[y];
            var fy = rowFractions[y];
            for (var x = 0; x < size; x++)
            {
                int left = cols0[x], right = cols1[x];
                var fx = colFractions[x];
                for (var c = 0; c < 3; c++)
                {
                    float topLeft = Sample(pixels, width, height, left, top, c);
                    float topRight = Sample(pixels, width, height, right, top, c);
                    float bottomLeft = Sample(pixels, width, height, left, bottom, c);
                    float bottomRight = Sample(pixels, width, height, right, bottom, c);
                    var upper = topLeft + (topRight - topLeft) * fx;
                    var lower = bottomLeft + (bottomRight - bottomLeft) * fx;
                    planes[c * plane + y * size + x] = upper + (lower - upper) * fy;
                }
            }
        }
    }

    /// <summary>
    /// For each output index along one axis: the two source indices and the weight of the second,
    /// computed as tfjs does in float32 (<c>src = dst * (in / out)</c>).
    /// </summary>
    private static (int[] First, int[] Second, float[] Fraction) SourceSamples(int inputLength, int outputLength)
    {
        var scale = (float)inputLength / outputLength;
        var first = new int[outputLength];
        var second = new int[outputLength];
        var fraction = new float[outputLength];
        for (var i = 0; i < outputLength; i++)
        {
            var source = i * scale;
            var floor = MathF.Floor(source);
            first[i] = (int)floor;
            second[i] = Math.Min((int)MathF.Ceiling(source), inputLength - 1);
            fraction[i] = source - floor;
        }

        return (first, second, fraction);
    }

    // Outside the image lies the zero padding of the square.
    private static byte Sample(ReadOnlySpan<byte> pixels, int width, int height, int x, int y, int channel) =>
        x < width && y < height ? pixels[(y * width + x) * 3 + channel] : (byte)0;
}
