using IntelliFace.Imaging;
using static IntelliFace.Tests.Imaging.ImageComparison;

namespace IntelliFace.Tests.Imaging;

/// <summary>
/// Every file of <c>../shared/faces/hard</c> decodes to an exact upright size or fails with an exact
/// error code. A file added there without a row here fails <see cref="The_table_names_every_file_in_the_hard_folders"/>.
/// </summary>
public class SharedImageTableTests
{
    private const string Unsupported = FaceErrorCode.UnsupportedFormat;
    private const string Corrupt = FaceErrorCode.CorruptImage;

    private static readonly Dictionary<string, string> Expected = new()
    {
        ["public/pillow__flower2.jpg"] = "300x225",
        ["public/pillow__hopper.bmp"] = "128x128",
        ["public/pillow__hopper.gif"] = "128x128",
        ["public/pillow__hopper.jpg"] = "128x128",
        ["public/pillow__hopper.png"] = "128x128",
        ["public/pillow__hopper.tif"] = Unsupported,
        ["public/pillow__hopper.webp"] = "128x128",
        ["public/pillow__hopper_16bit_qtables.jpg"] = "128x128",
        ["public/pillow__hopper_gray.jpg"] = "128x128",
        ["public/pillow__hopper_orientation_2.jpg"] = "128x128",
        ["public/pillow__hopper_orientation_3.jpg"] = "128x128",
        ["public/pillow__hopper_orientation_4.jpg"] = "128x128",
        ["public/pillow__hopper_orientation_5.jpg"] = "128x128",
        ["public/pillow__hopper_orientation_6.jpg"] = "128x128",
        ["public/pillow__hopper_orientation_7.jpg"] = "128x128",
        ["public/pillow__hopper_orientation_8.jpg"] = "128x128",
        ["public/pillow__i_trns.png"] = "64x64",
        ["public/pillow__pil_sample_cmyk.jpg"] = "100x100",
        ["public/pillow__transparent.png"] = "200x150",
        // Progressive, cut inside its last scan: Skia reports Success here, the marker walk does not.
        ["public/pillow__truncated_jpeg.jpg"] = Corrupt,
        ["public/pillow__uncompressed_la.png"] = "128x128",
        // Orientation 3 only in XMP (not EXIF), which is not applied; 180 degrees keeps the size anyway.
        ["public/pillow__xmp_tags_orientation.png"] = "326x268",
        // recurser: _1.._4 are stored 1800x1200 (landscape) or 1200x1800 (portrait), _5.._8 stored
        // the other way round; upright they are all the same shape.
        ["public/recurser__Landscape_0.jpg"] = "1800x1200",
        ["public/recurser__Landscape_1.jpg"] = "1800x1200",
        ["public/recurser__Landscape_2.jpg"] = "1800x1200",
        ["public/recurser__Landscape_3.jpg"] = "1800x1200",
        ["public/recurser__Landscape_4.jpg"] = "1800x1200",
        ["public/recurser__Landscape_5.jpg"] = "1800x1200",
        ["public/recurser__Landscape_6.jpg"] = "1800x1200",
        ["public/recurser__Landscape_7.jpg"] = "1800x1200",
        ["public/recurser__Landscape_8.jpg"] = "1800x1200",
        ["public/recurser__Portrait_0.jpg"] = "1200x1800",
        ["public/recurser__Portrait_1.jpg"] = "1200x1800",
        ["public/recurser__Portrait_2.jpg"] = "1200x1800",
        ["public/recurser__Portrait_3.jpg"] = "1200x1800",
        ["public/recurser__Portrait_4.jpg"] = "1200x1800",
        ["public/recurser__Portrait_5.jpg"] = "1200x1800",
        ["public/recurser__Portrait_6.jpg"] = "1200x1800",
        ["public/recurser__Portrait_7.jpg"] = "1200x1800",
        ["public/recurser__Portrait_8.jpg"] = "1200x1800",
        ["public/sharp__16-bit-grey-alpha.png"] = "109x96",
        ["public/sharp__2569067123_aca715a2ee_o.jpg"] = "2725x2225",
        ["public/sharp__Channel_digital_image_CMYK_color.jpg"] = "500x333",
        ["public/sharp__Channel_digital_image_CMYK_color_no_profile.jpg"] = "500x333",
        ["public/sharp__Flag_of_the_Netherlands-16bit.png"] = "900x600",
        ["public/sharp__concert.jpg"] = "400x267",
        ["public/sharp__tbgn2c16.png"] = "32x32",
        ["public/sharp__truncated.jpg"] = Corrupt,
        ["derived/cmyk__img2.jpg"] = "900x675",
        ["derived/derived.tsv"] = Unsupported, // the folder's own manifest: text
        ["derived/exif_orient2__img1.jpg"] = "666x900",
        ["derived/exif_orient3__img1.jpg"] = "666x900",
        ["derived/exif_orient4__img1.jpg"] = "666x900",
        ["derived/exif_orient5__img1.jpg"] = "666x900", // stored 900x666
        ["derived/exif_orient6__img1.jpg"] = "666x900", // stored 900x666
        ["derived/exif_orient7__img1.jpg"] = "666x900", // stored 900x666
        ["derived/exif_orient8__img1.jpg"] = "666x900", // stored 900x666
        ["derived/gray16__img7.png"] = "399x600",
        ["derived/gray8__img5.png"] = "330x512",
        ["derived/gray__img5.jpg"] = "330x512",
        ["derived/noface_black_224.png"] = "224x224",
        ["derived/noface_gray_640x480.jpg"] = "640x480",
        ["derived/not_an_image.jpg"] = Unsupported,
        ["derived/palette__img10.png"] = "408x594",
        ["derived/q10_progressive__img2.jpg"] = "900x675",
        ["derived/rgb16__img7.png"] = "399x600",
        ["derived/rgba_transparent__img6.png"] = "643x900",
        ["derived/tiny64w__img11.jpg"] = "64x85",
        ["derived/truncated_half__img1.jpg"] = Corrupt,
    };

    public static TheoryData<string> Files => [.. Expected.Keys];

    [Fact]
    public void The_table_names_every_file_in_the_hard_folders()
    {
        var onDisk = new[] { "public", "derived" }
            .SelectMany(folder => Directory.GetFiles(SharedData.PathOf("faces", "hard", folder))
                .Select(path => $"{folder}/{Path.GetFileName(path)}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(onDisk, Expected.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_file_decodes_to_its_upright_size_or_fails_with_its_code(string file)
    {
        Assert.Equal(Expected[file], Outcome(File.ReadAllBytes(SharedData.PathOf(["faces", "hard", .. file.Split('/')]))));
    }

    [Fact]
    public void A_WebP_file_named_jpg_decodes_by_its_content()
    {
        Assert.Equal("1350x1800", Outcome(File.ReadAllBytes(SharedData.PathOf("faces", "deepface", "img47.jpg"))));
    }

    [Fact]
    public void Flat_inputs_decode_to_their_exact_value()
    {
        using var black = DecodeShared("hard", "derived", "noface_black_224.png");
        Assert.All(black.Pixels.ToArray(), value => Assert.Equal(0, value));
        using var gray = DecodeShared("hard", "derived", "noface_gray_640x480.jpg");
        Assert.All(gray.Pixels.ToArray(), value => Assert.Equal(128, value));
    }

    private static string Outcome(byte[] encoded)
    {
        try
        {
            using var image = Intake.Decode(encoded);
            return $"{image.Width}x{image.Height}";
        }
        catch (FaceException e)
        {
            return e.Code;
        }
    }
}
