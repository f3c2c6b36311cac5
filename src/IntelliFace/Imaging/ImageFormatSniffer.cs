using System.Buffers.Binary;

namespace IntelliFace.Imaging;

/// <summary>The encoded formats <see cref="ImageIntake"/> decodes.</summary>
internal enum ImageFormat
{
    Jpeg,
    Png,
    WebP,
    Gif,
    Bmp,
}

/// <summary>
/// Names the format of an encoded image from its leading magic bytes only (never from a file name or
/// a declared content type). Formats it recognises but cannot decode (TIFF, HEIC/HEIF, AVIF) and
/// anything unrecognised are refused with <see cref="FaceErrorCode.UnsupportedFormat"/>.
/// </summary>
internal static class ImageFormatSniffer
{
    private const string Accepted = "send JPEG, PNG, WebP, GIF or BMP";

    public static ImageFormat Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return ImageFormat.Jpeg;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return ImageFormat.Png;
        if (bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes.Slice(8, 4).SequenceEqual("WEBP"u8)) return ImageFormat.WebP;
        if (bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8)) return ImageFormat.Gif;
        if (IsBmp(bytes)) return ImageFormat.Bmp;

        if (bytes.StartsWith("II*\0"u8) || bytes.StartsWith("MM\0*"u8)) throw Unsupported("TIFF");
        if (IsoMediaImageKind(bytes) is { } kind) throw Unsupported(kind);
        throw new FaceException(FaceErrorCode.UnsupportedFormat, $"The file is not a recognised image; {Accepted}.");
    }

    private static FaceException Unsupported(string format) =>
        new(FaceErrorCode.UnsupportedFormat, $"{format} images are not supported; {Accepted}.");

    // "BM" alone is too weak a signature (plain text can start with it): also require a known
    // DIB header size at offset 14.
    private static bool IsBmp(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 18 || !bytes.StartsWith("BM"u8)) return false;
        var dibHeaderSize = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(14, 4));
        return dibHeaderSize is 12 or 40 or 52 or 56 or 64 or 108 or 124;
    }

    /// <summary>"AVIF" or "HEIC/HEIF" when the bytes open with an ISO media <c>ftyp</c> box naming such a brand.</summary>
    private static string? IsoMediaImageKind(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 16 || !bytes.Slice(4, 4).SequenceEqual("ftyp"u8)) return null;
        var boxSize = (int)Math.Min((uint)bytes.Length, BinaryPrimitives.ReadUInt32BigEndian(bytes));
        var isHeif = false;
        // The major brand at offset 8, then compatible brands from offset 16 (offset 12 is the minor version).
        for (var offset = 8; offset + 4 <= boxSize; offset += offset == 8 ? 8 : 4)
        {
            var brand = bytes.Slice(offset, 4);
            if (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8)) return "AVIF";
            isHeif |= brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("hevc"u8)
                || brand.SequenceEqual("hevx"u8) || brand.SequenceEqual("heim"u8) || brand.SequenceEqual("heis"u8)
                || brand.SequenceEqual("mif1"u8) || brand.SequenceEqual("msf1"u8);
        }
        return isHeif ? "HEIC/HEIF" : null;
    }
}
