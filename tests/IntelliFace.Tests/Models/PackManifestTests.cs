using System.Text;
using IntelliFace.Models;

namespace IntelliFace.Tests.Models;

public sealed class PackManifestTests
{
    /// <summary>
    /// Every template records its pack id: a pack's id, and the files behind it, must never change
    /// under the same id. Changed a file or the preprocessing? Bump <c>preprocessingVersion</c> (the
    /// id changes with it) and update these lines, never the other way round.
    /// </summary>
    [Theory]
    [InlineData("faceapi-dlib", "ssd.dlib150.faceapi@b413e420-p1", "32eeb6d38c45ede7")]
    [InlineData("yunet-sface", "yunet.arcface112.sface@0ba9fbfa-p1", "295fac1d55f3ca91")]
    [InlineData("yunet-faceapi-dlib", "yunet.dlib150.faceapi@b413e420-p1", "592bdc9ee50d5cf0")]
    [InlineData("yunet-dlibchip", "yunet.dlibchip150.faceapi@b413e420-p1", "592bdc9ee50d5cf0")]
    public void Pack_ids_and_the_files_behind_them_are_frozen(string name, string id, string filesFingerprint)
    {
        var manifest = PackManifest.Load(name);

        Assert.Equal(id, manifest.Id.Value);
        Assert.Equal(filesFingerprint, FilesFingerprint(manifest));
    }

    [Fact]
    public void Every_known_pack_has_a_frozen_id_test()
    {
        Assert.Equal(new[] { "faceapi-dlib", "yunet-dlibchip", "yunet-faceapi-dlib", "yunet-sface" }, PackManifest.KnownPackNames);
    }

    [Fact]
    public void Packs_that_share_a_file_pin_the_same_hash_and_folder()
    {
        var sharedFiles = PackManifest.LoadAll().SelectMany(p => p.Files).GroupBy(f => f.Name);

        foreach (var copies in sharedFiles)
        {
            Assert.Single(copies.Select(f => f.Sha256).Distinct());
            Assert.Single(copies.Select(f => f.Folder).Distinct());
        }
    }

    [Fact]
    public void The_pack_is_chosen_by_name_and_an_unknown_name_is_refused_with_the_known_ones()
    {
        Assert.Equal("yunet-sface", PackManifest.Select("yunet-sface").Name);

        var error = Assert.Throws<FaceException>(() => PackManifest.Select("sface"));

        Assert.Equal(FaceErrorCode.InvalidArgument, error.Code);
        Assert.Equal("There is no model pack 'sface'. Known packs: faceapi-dlib, yunet-dlibchip, yunet-faceapi-dlib, yunet-sface.", error.Message);
    }

    [Fact]
    public void Downloaded_files_carry_their_size_and_https_urls()
    {
        var sface = PackManifest.Load("yunet-sface");

        Assert.All(sface.Files, file =>
        {
            Assert.True(file.Size > 0);
            Assert.NotEmpty(file.Urls);
            Assert.All(file.Urls, url => Assert.StartsWith("https://", url));
        });
        Assert.Equal(38_696_353, sface.File("face_recognition_sface_2021dec.onnx").Size);
        Assert.Equal(232_589, sface.File("face_detection_yunet_2023mar.onnx").Size);
    }

    private static string FilesFingerprint(PackManifest manifest)
    {
        var text = string.Join("\n", manifest.Files.Select(f => $"{f.Folder}/{f.Name}:{f.Sha256}"));
        return ModelStore.Sha256Hex(Encoding.UTF8.GetBytes(text))[..16];
    }
}
