using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SkiaSharp;

namespace IntelliFace.Imaging;

/// <summary>Limits <see cref="ImageIntake"/> enforces before it decodes anything.</summary>
public sealed record ImageIntakeLimits
{
    /// <summary>The largest pixel count any limit may allow: the RGBA decode buffer must fit one array.</summary>
    public const long MaxSupportedPixels = int.MaxValue / 4;

    /// <summary>Largest encoded input, in bytes. Default 20 MiB.</summary>
    public int MaxBytes { get; init; } = 20 * 1024 * 1024;

    /// <summary>Largest width * height, read from the header before any pixel is decoded. Default 50,000,000.</summary>
    public long MaxPixels { get; init; } = 50_000_000;
}

/// <summary>
/// Turns the bytes of an uploaded photo (JPEG, PNG, WebP, GIF first frame, BMP) into an upright
/// 8-bit <see cref="RgbImage"/>: size limits first, then the format from magic bytes, then the
/// dimensions from the header, then decoding. Every source (grayscale, palette, 16-bit, CMYK, alpha)
/// becomes 8-bit RGB; alpha is flattened onto white (see <see cref="AlphaFlattening.OntoWhite"/>);
/// the EXIF orientation is applied. No colour management: pixels are taken as stored, as OpenCV does.
/// Nothing touches the disk, and every intermediate copy of the photo is zeroed before it is released.
/// Stateless and thread-safe: create one and share it.
/// </summary>
public sealed class ImageIntake
{
    public ImageIntake(ImageIntakeLimits? limits = null)
    {
        Limits = limits ?? new ImageIntakeLimits();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Limits.MaxBytes, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Limits.MaxPixels, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Limits.MaxPixels, ImageIntakeLimits.MaxSupportedPixels, nameof(limits));
    }

    public ImageIntakeLimits Limits { get; }

    /// <summary>Decodes an encoded image; the caller owns (and disposes) the result.</summary>
    /// <exception cref="FaceException">
    /// <c>invalid_argument</c> for empty input; <c>image_too_large</c> over <see cref="ImageIntakeLimits.MaxBytes"/>
    /// or <see cref="ImageIntakeLimits.MaxPixels"/>; <c>unsupported_format</c> for anything but JPEG, PNG, WebP,
    /// GIF and BMP; <c>corrupt_image</c> when the data is damaged or truncated.
    /// </exception>
    public RgbImage Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
            throw new FaceException(FaceErrorCode.InvalidArgument, "The image is empty (0 bytes).");
        if (encoded.Length > Limits.MaxBytes)
            throw new FaceException(FaceErrorCode.ImageTooLarge,
                $"The image is {encoded.Length:N0} bytes; the limit is {Limits.MaxBytes:N0} bytes.");
        var format = ImageFormatSniffer.Sniff(encoded);
        if (format == ImageFormat.Jpeg && !JpegEndOfImage.IsReached(encoded))
            throw Corrupt(format, "it is truncated");

        // Skia reads from native memory: hand it a pinned pooled copy (zeroed afterwards) rather than
        // letting it make its own copy that would be freed without being wiped.
        var copy = ArrayPool<byte>.Shared.Rent(encoded.Length);
        var pin = GCHandle.Alloc(copy, GCHandleType.Pinned);
        try
        {
            encoded.CopyTo(copy);
            using var data = SKData.Create(pin.AddrOfPinnedObject(), encoded.Length);
            using var codec = SKCodec.Create(data) ?? throw Corrupt(format, "its header cannot be read");
            var stored = DecodeStored(codec, format);
            if (codec.EncodedOrigin == SKEncodedOrigin.TopLeft) return stored;
            using (stored) return ExifOrientation.ToUpright(stored, codec.EncodedOrigin);
        }
        finally
        {
            pin.Free();
            CryptographicOperations.ZeroMemory(copy.AsSpan(0, encoded.Length));
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    /// <summary>The pixels as stored (before orientation), flattened to RGB.</summary>
    private RgbImage DecodeStored(SKCodec codec, ImageFormat format)
    {
        int width = codec.Info.Width, height = codec.Info.Height;
        if ((long)width * height > Limits.MaxPixels)
            throw new FaceException(FaceErrorCode.ImageTooLarge,
                $"The image is {width:N0} x {height:N0} pixels; the limit is {Limits.MaxPixels:N0} pixels.");

        // Straight alpha, 8 bits per channel, no colour space: Skia converts grayscale, palette,
        // 16-bit (keeping each sample's high byte) and CMYK sources to this itself.
        var target = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgbaLength = target.BytesSize;
        var rgba = ArrayPool<byte>.Shared.Rent(rgbaLength);
        try
        {
            var result = codec.GetPixels(target, rgba);
            // Anything but Success (IncompleteInput, ErrorInInput...) would be a partly grey picture.
            if (result != SKCodecResult.Success)
                throw Corrupt(format, result == SKCodecResult.IncompleteInput ? "it is truncated" : "its data is damaged");
            var rgb = new RgbImage(width, height);
            AlphaFlattening.OntoWhite(rgba.AsSpan(0, rgbaLength), rgb.Pixels);
            return rgb;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rgba.AsSpan(0, rgbaLength));
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    private static FaceException Corrupt(ImageFormat format, string why) =>
        new(FaceErrorCode.CorruptImage, $"The {format.ToString().ToUpperInvariant()} image cannot be decoded: {why}.");
}
