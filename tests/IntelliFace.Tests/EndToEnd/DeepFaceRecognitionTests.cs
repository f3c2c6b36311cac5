using IntelliFace.Embedding;
using IntelliFace.Matching;
using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Tests.Vault;
using IntelliFace.Vault;
using Xunit.Abstractions;

namespace IntelliFace.Tests.EndToEnd;

/// <summary>
/// Enroll one photo per person of the DeepFace set into a real SQLite vault, then identify every other
/// photo (1:N) and verify every labelled pair at the pack's calibrated threshold.
/// </summary>
public sealed class DeepFaceRecognitionTests(DefaultPackFixture fixture, ITestOutputHelper output) : IClassFixture<DefaultPackFixture>
{
    private static readonly TenantId Tenant = new("deepface");

    [Fact]
    public void Identify_names_the_enrolled_person_for_at_least_95_percent_of_the_other_photos_and_never_a_stranger()
    {
        using var directory = new TestDirectory();
        using var vault = TemplateVault.OpenSqlite(directory.Path, new FixedMasterKeyProvider(7));
        var service = new FaceRecognitionService(fixture.Pipeline, vault);

        var enrolled = DeepFacePhotos.Identities.GroupBy(p => p.Cluster).Select(g => g.First()).ToArray();
        foreach (var (file, cluster) in enrolled)
            service.Enroll(Tenant, new SubjectId(cluster), File.ReadAllBytes(DeepFacePhotos.PathOf(file)));
        Assert.Equal(13, vault.ListSubjects(Tenant).Count);

        var probes = DeepFacePhotos.Identities.Except(enrolled).ToArray();
        int correct = 0, noMatch = 0;
        var wrong = new List<string>();
        foreach (var (file, cluster) in probes)
        {
            var result = service.Identify(Tenant, File.ReadAllBytes(DeepFacePhotos.PathOf(file)), top: 3);
            if (result.Match is null) noMatch++;
            else if (result.Match.Value.Value == cluster) correct++;
            else wrong.Add($"{file} ({cluster}) -> {result.Match} {result.Candidates[0].Similarity:F4}");
        }

        output.WriteLine($"{probes.Length} probes: {correct} correct top-1, {noMatch} no match, {wrong.Count} wrong: {string.Join("; ", wrong)}");
        Assert.Equal(49, probes.Length);
        Assert.True(correct >= Math.Ceiling(0.95 * probes.Length), $"only {correct} of {probes.Length} identified");
        Assert.Empty(wrong);
    }

    [Fact]
    public void Labelled_pairs_are_verified_with_at_least_98_percent_accuracy_at_the_calibrated_threshold()
    {
        var decision = new MatchDecision(fixture.Manifest.Threshold);
        var embeddings = new Dictionary<string, FaceEmbedding>();
        FaceEmbedding EmbeddingOf(string file)
        {
            if (!embeddings.TryGetValue(file, out var embedding))
                embeddings[file] = embedding = fixture.Pipeline.Embed(File.ReadAllBytes(DeepFacePhotos.PathOf(file)), FaceSelection.Largest).Embedding;
            return embedding;
        }

        var errors = new List<string>();
        foreach (var (a, b, same) in DeepFacePhotos.Pairs)
        {
            var similarity = Similarity.Cosine(EmbeddingOf(a), EmbeddingOf(b));
            if (decision.IsSamePerson(similarity) != same) errors.Add($"{a}/{b} same={same} similarity={similarity:F4}");
        }

        var accuracy = 1.0 - (double)errors.Count / DeepFacePhotos.Pairs.Count;
        output.WriteLine($"{DeepFacePhotos.Pairs.Count} pairs at threshold {decision.Threshold}: accuracy {accuracy:P2}; errors: {string.Join("; ", errors)}");
        Assert.Equal(600, DeepFacePhotos.Pairs.Count);
        Assert.True(accuracy >= 0.98, $"accuracy {accuracy:P2} with {errors.Count} errors");
    }
}
