using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Tests.Vault;
using IntelliFace.Vault;

namespace IntelliFace.Tests.EndToEnd;

/// <summary>
/// Every photo in <c>../shared/faces/hard</c> either is identified as the person of its clean source
/// (enrolled from the source) or is refused with a specific error code. The hopper PNG is both a
/// source and a row of the table.
/// </summary>
public sealed class HardFilesRecognitionTests(HardFilesGallery gallery) : IClassFixture<HardFilesGallery>
{
    private static readonly TenantId Tenant = new("hard");

    /// <summary>Who each file shows (subject enrolled from the clean source), or the error it must get.</summary>
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["derived/exif_orient2__img1.jpg"] = "img1",
        ["derived/exif_orient3__img1.jpg"] = "img1",
        ["derived/exif_orient4__img1.jpg"] = "img1",
        ["derived/exif_orient5__img1.jpg"] = "img1",
        ["derived/exif_orient6__img1.jpg"] = "img1",
        ["derived/exif_orient7__img1.jpg"] = "img1",
        ["derived/exif_orient8__img1.jpg"] = "img1",
        ["derived/cmyk__img2.jpg"] = "img2",
        ["derived/q10_progressive__img2.jpg"] = "img2",
        ["derived/gray__img5.jpg"] = "img5",
        ["derived/gray8__img5.png"] = "img5",
        ["derived/rgba_transparent__img6.png"] = "img6",
        ["derived/rgb16__img7.png"] = "img7",
        ["derived/gray16__img7.png"] = "img7",
        ["derived/palette__img10.png"] = "img10",
        ["derived/tiny64w__img11.jpg"] = "error:face_too_small",
        ["derived/noface_black_224.png"] = "error:no_face",
        ["derived/noface_gray_640x480.jpg"] = "error:no_face",
        ["derived/truncated_half__img1.jpg"] = "error:corrupt_image",
        ["derived/not_an_image.jpg"] = "error:unsupported_format",
        ["public/pillow__hopper.png"] = "hopper",
        ["public/pillow__hopper.bmp"] = "hopper",
        ["public/pillow__hopper.gif"] = "hopper",
        ["public/pillow__hopper.jpg"] = "hopper",
        ["public/pillow__hopper.webp"] = "hopper",
        ["public/pillow__hopper_gray.jpg"] = "hopper",
        ["public/pillow__hopper_orientation_2.jpg"] = "hopper",
        ["public/pillow__hopper_orientation_3.jpg"] = "hopper",
        ["public/pillow__hopper_orientation_4.jpg"] = "hopper",
        ["public/pillow__hopper_orientation_5.jpg"] = "hopper",
        ["public/pillow__hopper_orientation_6.jpg"] = "hopper",
        ["public/pillow__hopper_orientation_7.jpg"] = "hopper",
        ["public/pillow__hopper_orientation_8.jpg"] = "hopper",
        // A blocky 128 px copy: found only on the larger canvas, with a box 39 px across (minimum 40).
        ["public/pillow__hopper_16bit_qtables.jpg"] = "error:face_too_small",
        ["public/pillow__hopper.tif"] = "error:unsupported_format",
        ["public/pillow__truncated_jpeg.jpg"] = "error:corrupt_image",
        ["public/sharp__truncated.jpg"] = "error:corrupt_image",
        ["public/pillow__flower2.jpg"] = "error:no_face",
        ["public/pillow__i_trns.png"] = "error:no_face",
        ["public/pillow__pil_sample_cmyk.jpg"] = "error:no_face",
        ["public/pillow__transparent.png"] = "error:no_face",
        ["public/pillow__uncompressed_la.png"] = "error:no_face",
        ["public/pillow__xmp_tags_orientation.png"] = "error:no_face",
        ["public/sharp__16-bit-grey-alpha.png"] = "error:no_face",
        ["public/sharp__2569067123_aca715a2ee_o.jpg"] = "error:no_face",
        ["public/sharp__Channel_digital_image_CMYK_color.jpg"] = "error:no_face",
        ["public/sharp__Channel_digital_image_CMYK_color_no_profile.jpg"] = "error:no_face",
        ["public/sharp__Flag_of_the_Netherlands-16bit.png"] = "error:no_face",
        ["public/sharp__tbgn2c16.png"] = "error:no_face",
        // A concert crowd seen from behind.
        ["public/sharp__concert.jpg"] = "error:no_face",
        // recurser's orientation set: a figure seen from behind, small in a landscape.
        ["public/recurser__Landscape_0.jpg"] = "error:no_face",
        ["public/recurser__Landscape_1.jpg"] = "error:no_face",
        ["public/recurser__Landscape_2.jpg"] = "error:no_face",
        ["public/recurser__Landscape_3.jpg"] = "error:no_face",
        ["public/recurser__Landscape_4.jpg"] = "error:no_face",
        ["public/recurser__Landscape_5.jpg"] = "error:no_face",
        ["public/recurser__Landscape_6.jpg"] = "error:no_face",
        ["public/recurser__Landscape_7.jpg"] = "error:no_face",
        ["public/recurser__Landscape_8.jpg"] = "error:no_face",
        ["public/recurser__Portrait_0.jpg"] = "error:no_face",
        ["public/recurser__Portrait_1.jpg"] = "error:no_face",
        ["public/recurser__Portrait_2.jpg"] = "error:no_face",
        ["public/recurser__Portrait_3.jpg"] = "error:no_face",
        ["public/recurser__Portrait_4.jpg"] = "error:no_face",
        ["public/recurser__Portrait_5.jpg"] = "error:no_face",
        ["public/recurser__Portrait_6.jpg"] = "error:no_face",
        ["public/recurser__Portrait_7.jpg"] = "error:no_face",
        ["public/recurser__Portrait_8.jpg"] = "error:no_face",
    };

    /// <summary>The clean sources enrolled as subjects: DeepFace photos and Pillow's PNG of hopper.</summary>
    internal static readonly Dictionary<string, string> Sources = new()
    {
        ["img1"] = DeepFacePhotos.PathOf("img1.jpg"),
        ["img2"] = DeepFacePhotos.PathOf("img2.jpg"),
        ["img5"] = DeepFacePhotos.PathOf("img5.jpg"),
        ["img6"] = DeepFacePhotos.PathOf("img6.jpg"),
        ["img7"] = DeepFacePhotos.PathOf("img7.jpg"),
        ["img10"] = DeepFacePhotos.PathOf("img10.jpg"),
        ["hopper"] = SharedData.PathOf("faces", "hard", "public", "pillow__hopper.png"),
    };

    public static TheoryData<string> Files() => new(Expected.Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void The_table_covers_every_image_in_the_hard_folders()
    {
        var present = new[] { "derived", "public" }
            .SelectMany(folder => Directory.GetFiles(SharedData.PathOf("faces", "hard", folder))
                .Where(f => !f.EndsWith(".tsv", StringComparison.Ordinal))
                .Select(f => $"{folder}/{Path.GetFileName(f)}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(present, Expected.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_file_is_identified_as_its_source_or_refused_with_its_error(string file)
    {
        var photo = File.ReadAllBytes(SharedData.PathOf(["faces", "hard", .. file.Split('/')]));
        var expected = Expected[file];

        if (expected.StartsWith("error:", StringComparison.Ordinal))
        {
            var error = Assert.Throws<FaceException>(() => gallery.Service.Identify(Tenant, photo, top: 3));
            Assert.Equal(expected["error:".Length..], error.Code);
            return;
        }

        var result = gallery.Service.Identify(Tenant, photo, top: 3);
        Assert.Equal(expected, result.Match?.Value);
    }
}

/// <summary>The clean sources enrolled once into a real SQLite vault for the hard-file table.</summary>
public sealed class HardFilesGallery : IDisposable
{
    private readonly FaceApiPackFixture _pack = new();
    private readonly TestDirectory _directory = new();
    private readonly TemplateVault _vault;

    public HardFilesGallery()
    {
        _vault = TemplateVault.OpenSqlite(_directory.Path, new FixedMasterKeyProvider(3));
        Service = new FaceRecognitionService(_pack.Pipeline, _vault);
        foreach (var (subject, path) in HardFilesRecognitionTests.Sources)
            Service.Enroll(new TenantId("hard"), new SubjectId(subject), File.ReadAllBytes(path));
    }

    public FaceRecognitionService Service { get; }

    public void Dispose()
    {
        _vault.Dispose();
        _directory.Dispose();
        _pack.Dispose();
    }
}
