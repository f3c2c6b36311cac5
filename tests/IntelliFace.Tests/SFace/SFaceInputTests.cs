using IntelliFace.Alignment;
using IntelliFace.Detection;
using IntelliFace.Embedding;
using IntelliFace.Imaging;
using IntelliFace.Models;
using IntelliFace.Models.SFace;
using IntelliFace.Recognition;
using IntelliFace.Tests.YuNet;
using Xunit.Abstractions;

namespace IntelliFace.Tests.SFace;

/// <summary>
/// The SFace input, proven with a stand-in model of SFace's shapes whose outputs reveal the exact
/// tensor it received: from the golden crops, and from the golden PNGs through the whole
/// yunet-sface pipeline (intake, YuNet, alignment, tensor).
/// </summary>
public sealed class SFaceInputTests(StandInSFacePackFixture fixture, ITestOutputHelper output) : IClassFixture<StandInSFacePackFixture>
{
    public static TheoryData<string, int> GoldenFaces() => ArcFaceAlignmentParityTests.GoldenFaces();

    [Theory]
    [MemberData(nameof(GoldenFaces))]
    public void The_model_receives_the_RGB_planes_of_the_golden_crop_bit_for_bit(string file, int face)
    {
        var golden = YuNetGolden.Images.Single(i => i.File == file);
        using var crop = AlignmentGolden.LoadCrop(golden.Stem, face);

        var embedding = fixture.Recognition.Describe(crop, fixture.Pack.Id);

        Assert.Equal(StandInSFaceModel.Project(StandInSFaceModel.ExpectedTensor(crop)), embedding.Values.ToArray());
    }

    [Theory]
    [MemberData(nameof(GoldenFaces))]
    public void From_the_photo_the_pipeline_feeds_the_model_the_crop_of_its_own_landmarks_which_is_the_golden_crop_within_a_grey_level(string file, int face)
    {
        var golden = YuNetGolden.Images.Single(i => i.File == file);
        using var goldenCrop = AlignmentGolden.LoadCrop(golden.Stem, face);
        using var image = YuNetGolden.LoadPng(file);

        var faces = fixture.Pack.FindFaces(image);
        var embedding = fixture.Pack.Embed(image, faces[face]);

        Assert.Equal(golden.Faces.Count, faces.Count);
        using var crop = ArcFaceAligner.Align(image, FivePointLandmarks.FromArray(faces[face].Landmarks.ToArray()));
        Assert.Equal(StandInSFaceModel.Project(StandInSFaceModel.ExpectedTensor(crop)), embedding.Values.ToArray());
        Assert.Equal(fixture.Pack.Id, embedding.Pack);
        // Our landmarks are OpenCV's to a float32 ulp or two; such a difference moves a few samples by
        // 1/32 px. Measured on the golden set: at most 25 values differ, by at most 3 grey levels.
        var (differing, largest) = AlignmentGolden.Compare(goldenCrop, crop);
        output.WriteLine($"{file} face {face}: {differing} of {crop.ByteLength} values differ from the golden crop, by at most {largest}");
        Assert.True(differing <= crop.ByteLength / 1000, $"{differing} values differ from the golden crop");
        Assert.True(largest <= 3, $"a value differs from the golden crop by {largest}");
    }

    [Fact]
    public void Enrolling_a_photo_embeds_its_single_face_through_the_same_path()
    {
        var photo = File.ReadAllBytes(YuNetGolden.PathOf("inputs", "img1.png"));
        using var image = YuNetGolden.LoadPng("img1.png");
        var face = Assert.Single(fixture.Pack.FindFaces(image));
        using var crop = ArcFaceAligner.Align(image, FivePointLandmarks.FromArray(face.Landmarks.ToArray()));
        var pipeline = new FacePipeline(fixture.Pack, new ImageIntake());

        var probe = pipeline.Embed(photo, FaceSelection.ExactlyOne);

        Assert.Equal(StandInSFaceModel.Project(StandInSFaceModel.ExpectedTensor(crop)), probe.Embedding.Values.ToArray());
        Assert.Equal(face.Detection.Box, probe.Face.Box);
    }

    [Fact]
    public void A_model_of_other_shapes_is_refused_as_model_integrity()
    {
        var graph = new IntelliFace.Models.Onnx.OnnxGraphBuilder("wrong");
        graph.Output(graph.Node("Identity", [graph.Input("data", 1, 3, 150, 150)], "fc1"), 1, 3, 150, 150);

        var error = Assert.Throws<FaceException>(() => new SFaceNet(graph.ToModelBytes()));

        Assert.Equal(FaceErrorCode.ModelIntegrity, error.Code);
        Assert.Equal("The recognition model takes [1,3,150,150] and gives [1,3,150,150], not [1,3,112,112] and [1,128].", error.Message);
    }
}

/// <summary>The yunet-sface pack with the real YuNet (../shared/models) and the stand-in SFace.</summary>
public sealed class StandInSFacePackFixture : IDisposable
{
    public StandInSFacePackFixture()
    {
        var standIn = StandInSFaceModel.Build();
        Pack = new YuNetSFacePack(PackManifest.Load("yunet-sface"), File.ReadAllBytes(YuNetGolden.ModelPath), standIn);
        Recognition = new SFaceNet(standIn);
    }

    internal YuNetSFacePack Pack { get; }

    internal SFaceNet Recognition { get; }

    public void Dispose()
    {
        Pack.Dispose();
        Recognition.Dispose();
    }
}
