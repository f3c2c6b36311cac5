using System.Buffers;
using System.Security.Cryptography;

namespace IntelliFace.Imaging;

/// <summary>
/// An upright 8-bit RGB picture held only in memory: interleaved R, G, B bytes, row-major, no row
/// padding (stride = <see cref="Width"/> * 3), origin at the top-left. The pixel buffer is rented
/// from a pool and zeroed on <see cref="Dispose"/> so a photo does not linger in memory after use.
/// </summary>
public sealed class RgbImage : IDisposable
{
    private byte[]? _buffer;

    public RgbImage(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        _buffer = ArrayPool<byte>.Shared.Rent(checked(width * height * 3));
        Array.Clear(_buffer, 0, ByteLength);
    }

    public int Width { get; }
    public int Height { get; }
    public int Stride => Width * 3;
    public int ByteLength => Width * Height * 3;

    /// <summary>The pixels; throws once the image has been disposed.</summary>
    public Span<byte> Pixels => (_buffer ?? throw new ObjectDisposedException(nameof(RgbImage))).AsSpan(0, ByteLength);

    public Span<byte> Row(int y) => Pixels.Slice(y * Stride, Stride);

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is null) return;
        CryptographicOperations.ZeroMemory(buffer);
        ArrayPool<byte>.Shared.Return(buffer);
    }

    public override string ToString() => $"RgbImage {Width}x{Height}";
}
