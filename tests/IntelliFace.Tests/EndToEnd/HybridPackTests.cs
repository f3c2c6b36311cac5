using IntelliFace.Alignment;
using IntelliFace.Imaging;
using IntelliFace.Models;
using IntelliFace.Models.FaceApi;
using IntelliFace.Recognition;
using IntelliFace.Tests.FaceApi;
using IntelliFace.Tests.YuNet;
using Xunit.Abstractions;

namespace IntelliFace.Tests.EndToEnd;

/// <summary>
/// The hybrid pack yunet-faceapi-dlib (YuNet from ../shared/models, face-api's recognition net from
/// the installed default pack) passes the DeepFace checks the default pack passes.
/// </summary>
public sealed class HybridPackTests(HybridPackFixture fixture, ITestOutputHelper output) : IClassFixture<HybridPackFixture>
{
    [Fact]
    public void Identify_names_the_enrolled_person_for_at_least_95_percent_of_the_other_photos_and_never_a_stranger() =>
        DeepFaceEvaluation.IdentifyEveryOtherPhoto(fixture.Pipeline, output);

    [Fact]
    public void Labelled_pairs_are_verified_with_at_least_98_percent_accuracy_at_the_calibrated_threshold() =>
        DeepFaceEvaluation.VerifyLabelledPairs(fixture.Pipeline, fixture.Pack.Manifest.Threshold, output);

    [Fact]
    public void The_landmark_net_runs_on_YuNets_box_and_the_embedder_sees_face_apis_crop_of_those_landmarks()
    {
        using var image = YuNetGolden.LoadPng("img1.png");
        var golden = YuNetGolden.Images.Single(i => i.File == "img1.png").Faces[0];
        using var landmarkNet = FaceLandmarkNet.Load(FaceApiModelFiles.Folder);

        var face = Assert.Single(fixture.Pack.FindFaces(image));

        var expectedLandmarks = landmarkNet.Locate(image, golden.Detection);
        Assert.Equal(golden.Detection.Score, face.Detection.Score, 1e-4);
        Assert.Equal(68, face.Landmarks.Count);
        Assert.True(expectedLandmarks.Positions.Zip(face.Landmarks).All(p => Math.Abs(p.First.X - p.Second.X) < 0.05 && Math.Abs(p.First.Y - p.Second.Y) < 0.05));
        Assert.Equal(DlibFaceAligner.Align(expectedLandmarks, image.Width, image.Height).Crop, face.AlignedCrop);
        Assert.Equal("yunet.dlib150.faceapi@b413e420-p1", fixture.Pack.Embed(image, face).Pack.Value);
    }
}

public sealed class HybridPackFixture() : YuNetFaceApiPackFixture("yunet-faceapi-dlib");

/// <summary>A pack of <see cref="YuNetFaceApiPack"/> with YuNet from ../shared/models and the installed face-api weights.</summary>
public abstract class YuNetFaceApiPackFixture : IDisposable
{
    protected YuNetFaceApiPackFixture(string packName)
    {
        Pack = new YuNetFaceApiPack(PackManifest.Load(packName), File.ReadAllBytes(YuNetGolden.ModelPath), FaceApiModelFiles.Folder);
        Pipeline = new FacePipeline(Pack, new ImageIntake());
    }

    internal YuNetFaceApiPack Pack { get; }

    internal FacePipeline Pipeline { get; }

    public void Dispose()
    {
        Pack.Dispose();
        GC.SuppressFinalize(this);
    }
}
