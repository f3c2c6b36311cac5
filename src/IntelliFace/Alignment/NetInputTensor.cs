using IntelliFace.Detection;
using IntelliFace.Imaging;

namespace IntelliFace.Alignment;

/// <summary>
/// The input tensor face-api feeds its landmark and recognition networks
/// (<c>NetInput.toBatchTensor(size, true)</c> on a crop): the crop zero-padded to a centred square,
/// then resized bilinearly to <c>size x size</c>. Values are float32 HWC, RGB, on the 0..255 scale
/// (the networks normalise inside their graphs).
/// </summary>
internal static class NetInputTensor
{
    public static float[] FromCrop(RgbImage image, PixelRect crop, int size)
    {
        var tensor = new float[size * size * 3];
        WriteFromCrop(image, crop, size, tensor);
        return tensor;
    }

    /// <param name="destination">size * size * 3 floats, written in full.</param>
    public static void WriteFromCrop(RgbImage image, PixelRect crop, int size, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (!crop.FitsIn(image.Width, image.Height))
            throw new ArgumentException($"The crop {crop} is empty or leaves the {image.Width}x{image.Height} image.", nameof(crop));
        if (destination.Length != size * size * 3)
            throw new ArgumentException($"The destination holds {destination.Length} floats, not {size * size * 3}.", nameof(destination));

        // padToSquare(isCenterImage: true) appends Math.round(diff / 2) zero rows/columns after the
        // image and prepends the rest, so an odd difference leaves the extra one after.
        var side = Math.Max(crop.Width, crop.Height);
        var diff = side - Math.Min(crop.Width, crop.Height);
        var before = diff / 2;
        var offsetX = crop.Width < crop.Height ? before : 0;
        var offsetY = crop.Height < crop.Width ? before : 0;
        var padded = new PaddedCrop(image, crop, offsetX, offsetY);

        if (side == size)
        {
            for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                    for (var c = 0; c < 3; c++)
                        destination[(y * size + x) * 3 + c] = padded.At(y, x, c);
            return;
        }

        // tf.image.resizeBilinear(alignCorners: false, halfPixelCenters: false) exactly as the tfjs
        // kernel computes it, every step in float32: the same formula in double drifts by up to 5e-3.
        // Column positions and weights are the same for every row, so they are computed once.
        var scale = side / (float)size;
        Span<int> lefts = stackalloc int[size];
        Span<int> rights = stackalloc int[size];
        Span<float> fxs = stackalloc float[size];
        for (var x = 0; x < size; x++)
        {
            var sourceX = x * scale;
            lefts[x] = (int)MathF.Floor(sourceX);
            rights[x] = Math.Min((int)MathF.Ceiling(sourceX), side - 1);
            fxs[x] = sourceX - lefts[x];
        }

        for (var y = 0; y < size; y++)
        {
            var sourceY = y * scale;
            var top = (int)MathF.Floor(sourceY);
            var bottom = Math.Min((int)MathF.Ceiling(sourceY), side - 1);
            var fy = sourceY - top;
            var row = destination.Slice(y * size * 3, size * 3);
            for (var x = 0; x < size; x++)
            {
                var fx = fxs[x];
                for (var c = 0; c < 3; c++)
                {
                    var topLeft = padded.At(top, lefts[x], c);
                    var topRight = padded.At(top, rights[x], c);
                    var bottomLeft = padded.At(bottom, lefts[x], c);
                    var bottomRight = padded.At(bottom, rights[x], c);
                    var upper = topLeft + (topRight - topLeft) * fx;
                    var lower = bottomLeft + (bottomRight - bottomLeft) * fx;
                    row[x * 3 + c] = upper + (lower - upper) * fy;
                }
            }
        }
    }

    /// <summary>The crop placed in its zero square, read without materialising the square.</summary>
    private readonly ref struct PaddedCrop(RgbImage image, PixelRect crop, int offsetX, int offsetY)
    {
        private readonly ReadOnlySpan<byte> _pixels = image.Pixels;
        private readonly int _stride = image.Stride;

        public float At(int squareY, int squareX, int channel)
        {
            var x = squareX - offsetX;
            var y = squareY - offsetY;
            if ((uint)x >= (uint)crop.Width || (uint)y >= (uint)crop.Height) return 0f;
            return _pixels[(crop.Y + y) * _stride + (crop.X + x) * 3 + channel];
        }
    }
}
