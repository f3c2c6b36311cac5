using System.Buffers.Binary;
using System.Runtime.InteropServices;
using IntelliFace.Imaging;
using SkiaSharp;

namespace IntelliFace.Tests.Imaging;

public class ImageIntakeTests
{
    private static readonly ImageIntake Intake = new();

    [Fact]
    public void Empty_input_is_an_invalid_argument()
    {
        var e = Assert.Throws<FaceException>(() => Intake.Decode([]));
        Assert.Equal(FaceErrorCode.InvalidArgument, e.Code);
        Assert.Equal("The image is empty (0 bytes).", e.Message);
    }

    [Fact]
    public void Input_over_MaxBytes_is_too_large_before_its_format_is_even_looked_at()
    {
        var zeros = new byte[20 * 1024 * 1024 + 1]; // not an image either: size is checked first
        var e = Assert.Throws<FaceException>(() => Intake.Decode(zeros));
        Assert.Equal(FaceErrorCode.ImageTooLarge, e.Code);
        Assert.Equal("The image is 20,971,521 bytes; the limit is 20,971,520 bytes.", e.Message);
    }

    [Fact]
    public void A_header_claiming_20000x20000_is_refused_without_allocating_its_pixels()
    {
        var bomb = WithIhdrSize(EncodePng(new SKImageInfo(1, 1, SKColorType.Gray8, SKAlphaType.Opaque), [0]), 20_000, 20_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<FaceException>(() => Intake.Decode(bomb));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(FaceErrorCode.ImageTooLarge, e.Code);
        Assert.Equal("The image is 20,000 x 20,000 pixels; the limit is 50,000,000 pixels.", e.Message);
        Assert.InRange(allocated, 0, 1024 * 1024); // decoding would have needed 1.6 GB of RGBA
    }

    [Fact]
    public void MaxPixels_allows_exactly_its_value_and_refuses_one_more()
    {
        var hopper = File.ReadAllBytes(SharedData.PathOf("faces", "hard", "public", "pillow__hopper.png")); // 128x128
        using var atLimit = new ImageIntake(new ImageIntakeLimits { MaxPixels = 128 * 128 }).Decode(hopper);
        Assert.Equal((128, 128), (atLimit.Width, atLimit.Height));
        var e = Assert.Throws<FaceException>(() => new ImageIntake(new ImageIntakeLimits { MaxPixels = 128 * 128 - 1 }).Decode(hopper));
        Assert.Equal(FaceErrorCode.ImageTooLarge, e.Code);
        Assert.Equal("The image is 128 x 128 pixels; the limit is 16,383 pixels.", e.Message);
    }

    [Fact]
    public void MaxBytes_allows_exactly_its_value_and_refuses_one_more()
    {
        var hopper = File.ReadAllBytes(SharedData.PathOf("faces", "hard", "public", "pillow__hopper.png"));
        using var atLimit = new ImageIntake(new ImageIntakeLimits { MaxBytes = hopper.Length }).Decode(hopper);
        var e = Assert.Throws<FaceException>(() => new ImageIntake(new ImageIntakeLimits { MaxBytes = hopper.Length - 1 }).Decode(hopper));
        Assert.Equal(FaceErrorCode.ImageTooLarge, e.Code);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(1, ImageIntakeLimits.MaxSupportedPixels + 1)]
    public void Limits_that_cannot_work_are_refused_when_the_intake_is_made(int maxBytes, long maxPixels)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageIntake(new ImageIntakeLimits { MaxBytes = maxBytes, MaxPixels = maxPixels }));
    }

    [Fact]
    public void Alpha_is_flattened_onto_white_exactly()
    {
        // Straight RGBA: (200, 100, 50) at alpha 128, and (10, 20, 30) fully transparent.
        // out = a*c + (1-a)*255 with a = 128/255: 100.39 + 127.00 = 227.39 -> 227, 50.20 + 127.00 -> 177, 25.10 + 127.00 -> 152.
        var png = EncodePng(new SKImageInfo(2, 1, SKColorType.Rgba8888, SKAlphaType.Unpremul), [200, 100, 50, 128, 10, 20, 30, 0]);
        using var image = Intake.Decode(png);
        Assert.Equal(new byte[] { 227, 177, 152, 255, 255, 255 }, image.Pixels.ToArray());
    }

    [Fact]
    public void Sixteen_bit_samples_keep_their_high_byte()
    {
        // Skia keeps v >> 8 (as libpng's strip_16 and Pillow do): exact for v = 257 * c, and at most
        // 1 below round(v / 257) otherwise (0x00FF gives 0, not 1).
        ushort[] samples = [0x0000, 0x00FF, 0x0100, 0x7F80, 0x8080, 0x1234, 0xABCD, 0xFE80, 0xFFFF];
        var info = new SKImageInfo(samples.Length / 3, 1, SKColorType.Rgba16161616, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var channels = MemoryMarshal.Cast<byte, ushort>(bitmap.GetPixelSpan());
        for (var p = 0; p < info.Width; p++)
        {
            samples.AsSpan(p * 3, 3).CopyTo(channels.Slice(p * 4));
            channels[p * 4 + 3] = 0xFFFF;
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var png = data.ToArray();
        Assert.Equal(16, png[24]); // IHDR bit depth

        using var image = Intake.Decode(png);
        Assert.Equal(new byte[] { 0, 0, 1, 127, 128, 18, 171, 254, 255 }, image.Pixels.ToArray());
    }

    [Theory]
    [InlineData(0, 255)]
    [InlineData(1, 254)]   // 255 - 1 * 255/255
    [InlineData(127, 128)] // 128/255*255 = 128.0
    [InlineData(128, 127)] // 127/255*255 = 127.0
    [InlineData(254, 1)]
    [InlineData(255, 0)]
    public void A_black_pixel_over_white_turns_the_grey_its_alpha_says(byte alpha, byte expected)
    {
        var rgb = new byte[3];
        AlphaFlattening.OntoWhite([0, 0, 0, alpha], rgb);
        Assert.Equal(new[] { expected, expected, expected }, rgb);
    }

    [Fact]
    public void A_JPEG_missing_its_end_marker_is_corrupt_but_bytes_after_the_marker_are_fine()
    {
        var jpeg = EncodeJpeg();
        using (var whole = Intake.Decode(jpeg)) Assert.Equal((16, 8), (whole.Width, whole.Height));
        using (var padded = Intake.Decode([.. jpeg, .. new byte[100]])) Assert.Equal((16, 8), (padded.Width, padded.Height));

        var e = Assert.Throws<FaceException>(() => Intake.Decode(jpeg.AsSpan(0, jpeg.Length - 2)));
        Assert.Equal(FaceErrorCode.CorruptImage, e.Code);
        Assert.Equal("The JPEG image cannot be decoded: it is truncated.", e.Message);
    }

    [Fact]
    public void An_end_marker_inside_a_segment_such_as_an_EXIF_thumbnail_does_not_count()
    {
        byte[] cut =
        [
            0xFF, 0xD8,                                     // start of image
            0xFF, 0xE1, 0x00, 0x06, 0xFF, 0xD9, 0xFF, 0xD9, // APP1 whose payload holds end markers
            0xFF, 0xDA, 0x00, 0x02, 0x12, 0xFF, 0x00, 0x34, // start of scan, entropy data with a stuffed 0xFF, then cut
        ];
        Assert.False(JpegEndOfImage.IsReached(cut));
        Assert.True(JpegEndOfImage.IsReached([.. cut, 0xFF, 0xD0, 0x56, 0xFF, 0xFF, 0xD9])); // restart marker, fill byte, end
    }

    [Fact]
    public void A_PNG_cut_short_is_corrupt()
    {
        var png = File.ReadAllBytes(SharedData.PathOf("faces", "hard", "public", "pillow__hopper.png"));
        var e = Assert.Throws<FaceException>(() => Intake.Decode(png.AsSpan(0, png.Length / 2)));
        Assert.Equal(FaceErrorCode.CorruptImage, e.Code);
        Assert.Equal("The PNG image cannot be decoded: it is truncated.", e.Message);
    }

    [Theory]
    [InlineData("89504E470D0A1A0A", "PNG")]
    [InlineData("524946460C00000057454250565038200000", "WEBP")]
    public void A_right_signature_over_a_broken_header_is_corrupt(string hex, string format)
    {
        byte[] encoded = [.. Convert.FromHexString(hex), .. "not the rest of an image"u8];
        var e = Assert.Throws<FaceException>(() => Intake.Decode(encoded));
        Assert.Equal(FaceErrorCode.CorruptImage, e.Code);
        Assert.Equal($"The {format} image cannot be decoded: its header cannot be read.", e.Message);
    }

    private static byte[] EncodePng(SKImageInfo info, byte[] pixels)
    {
        using var bitmap = new SKBitmap(info);
        pixels.CopyTo(bitmap.GetPixelSpan());
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static byte[] EncodeJpeg()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(16, 8, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(90, 140, 200));
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    /// <summary>The PNG with its IHDR width and height replaced and the chunk's CRC recomputed.</summary>
    private static byte[] WithIhdrSize(byte[] png, int width, int height)
    {
        var patched = png.ToArray();
        var ihdr = patched.AsSpan(8); // after the signature: length, "IHDR", 13 data bytes, CRC
        Assert.True(ihdr.Slice(4, 4).SequenceEqual("IHDR"u8));
        BinaryPrimitives.WriteInt32BigEndian(ihdr.Slice(8), width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.Slice(12), height);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.Slice(21), Crc32(ihdr.Slice(4, 17)));
        return patched;
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320).</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
