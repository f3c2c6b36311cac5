using IntelliFace.Detection;
using IntelliFace.Imaging;

namespace IntelliFace.Tests.FaceApi;

public sealed class SsdFaceDetectorTests(SsdDetectorFixture fixture) : IClassFixture<SsdDetectorFixture>
{
    [Fact]
    public void A_folder_without_the_weights_fails_with_model_not_installed_and_says_how_to_install()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"intelliface-empty-{Guid.NewGuid():N}");

        var error = Assert.Throws<FaceException>(() => new SsdFaceDetector(folder));

        Assert.Equal(FaceErrorCode.ModelNotInstalled, error.Code);
        Assert.Contains("intelliface models install", error.Message);
    }

    [Fact]
    public void A_blank_image_has_no_faces()
    {
        using var image = new RgbImage(640, 480);

        Assert.Empty(fixture.Detector.Detect(image));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1f)]
    [InlineData(float.NaN)]
    public void The_minimum_confidence_must_lie_strictly_between_0_and_1(float minConfidence)
    {
        using var image = new RgbImage(8, 8);

        Assert.Throws<ArgumentOutOfRangeException>(() => fixture.Detector.Detect(image, minConfidence));
    }

    [Fact]
    public void At_least_one_result_must_be_allowed()
    {
        using var image = new RgbImage(8, 8);

        Assert.Throws<ArgumentOutOfRangeException>(() => fixture.Detector.Detect(image, maxResults: 0));
    }
}
