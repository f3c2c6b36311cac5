using IntelliFace.Embedding;
using IntelliFace.Imaging;
using IntelliFace.Models;
using IntelliFace.Models.SFace;
using IntelliFace.Recognition;
using IntelliFace.Tests.EndToEnd;
using IntelliFace.Tests.YuNet;
using Xunit.Abstractions;

namespace IntelliFace.Tests.SFace;

/// <summary>
/// The real SFace weights on the DeepFace photos, with the pack's threshold. They cannot be
/// downloaded where this suite is usually run, so these tests run only where
/// <c>face_recognition_sface_2021dec.onnx</c> is installed in the model store, and are skipped
/// (saying so) elsewhere. A file that is present with another hash fails them.
/// </summary>
public sealed class RealSFaceTests(RealSFaceFixture fixture, ITestOutputHelper output) : IClassFixture<RealSFaceFixture>
{
    [RealSFaceFact]
    public void Identify_names_the_enrolled_person_for_at_least_95_percent_of_the_other_photos_and_never_a_stranger() =>
        DeepFaceEvaluation.IdentifyEveryOtherPhoto(fixture.Pipeline, output);

    [RealSFaceFact]
    public void Labelled_pairs_are_verified_with_at_least_98_percent_accuracy_at_the_packs_threshold() =>
        DeepFaceEvaluation.VerifyLabelledPairs(fixture.Pipeline, fixture.Pack.Manifest.Threshold, output);
}

/// <summary>A fact that runs only when the real SFace file is installed, and is otherwise skipped with the way to install it.</summary>
public sealed class RealSFaceFactAttribute : FactAttribute
{
    public RealSFaceFactAttribute()
    {
        if (!File.Exists(RealSFaceFixture.ModelPath))
            Skip = $"{SFaceNet.ModelFileName} is not installed in {Path.GetDirectoryName(RealSFaceFixture.ModelPath)}; "
                   + "run 'intelliface models install yunet-sface' or 'intelliface models import FILE' (with INTELLIFACE_MODELS set as for the tests) to run the real-SFace tests";
    }
}

/// <summary>The yunet-sface pack with the installed SFace weights (checked against their pinned sha256) and the verified YuNet in ../shared/models.</summary>
public sealed class RealSFaceFixture : IDisposable
{
    private static readonly PackManifest Manifest = PackManifest.Load("yunet-sface");
    private readonly Lazy<YuNetSFacePack> _pack = new(() =>
    {
        var store = ModelStore.FromEnvironment();
        var file = Manifest.File(SFaceNet.ModelFileName);
        Assert.True(store.HasVerified(file), $"{ModelPath} does not have the pinned sha256 {file.Sha256}");
        return new YuNetSFacePack(Manifest, File.ReadAllBytes(YuNetGolden.ModelPath), File.ReadAllBytes(ModelPath));
    });

    public static string ModelPath => ModelStore.FromEnvironment().PathOf(Manifest, SFaceNet.ModelFileName);

    internal IModelPack Pack => _pack.Value;

    internal FacePipeline Pipeline => new(Pack, new ImageIntake());

    public void Dispose()
    {
        if (_pack.IsValueCreated) _pack.Value.Dispose();
    }
}
