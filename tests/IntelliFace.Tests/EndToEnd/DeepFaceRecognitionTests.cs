using Xunit.Abstractions;

namespace IntelliFace.Tests.EndToEnd;

/// <summary>The default pack on the DeepFace photos (see <see cref="DeepFaceEvaluation"/>).</summary>
public sealed class DeepFaceRecognitionTests(DefaultPackFixture fixture, ITestOutputHelper output) : IClassFixture<DefaultPackFixture>
{
    [Fact]
    public void Identify_names_the_enrolled_person_for_at_least_95_percent_of_the_other_photos_and_never_a_stranger() =>
        DeepFaceEvaluation.IdentifyEveryOtherPhoto(fixture.Pipeline, output);

    [Fact]
    public void Labelled_pairs_are_verified_with_at_least_98_percent_accuracy_at_the_calibrated_threshold() =>
        DeepFaceEvaluation.VerifyLabelledPairs(fixture.Pipeline, fixture.Manifest.Threshold, output);
}
