using IntelliFace.Embedding;
using IntelliFace.Matching;
using IntelliFace.Models;
using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Tests.Vault;
using IntelliFace.Vault;
using Xunit.Abstractions;

namespace IntelliFace.Tests.EndToEnd;

/// <summary>
/// The DeepFace photo checks any model pack must pass: enroll one photo per person into a real
/// SQLite vault and identify every other photo (1:N); verify every labelled pair at the pack's threshold.
/// </summary>
internal static class DeepFaceEvaluation
{
    private static readonly TenantId Tenant = new("deepface");

    /// <summary>At least 95 % of the other photos are named correctly, and none is given a stranger's name.</summary>
    public static void IdentifyEveryOtherPhoto(FacePipeline pipeline, ITestOutputHelper output)
    {
        using var directory = new TestDirectory();
        using var vault = TemplateVault.OpenSqlite(directory.Path, new FixedMasterKeyProvider(7));
        var service = new FaceRecognitionService(pipeline, vault);

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

        output.WriteLine($"{pipeline.Pack.Id}: {probes.Length} probes: {correct} correct top-1, {noMatch} no match, {wrong.Count} wrong: {string.Join("; ", wrong)}");
        Assert.Equal(49, probes.Length);
        Assert.True(correct >= Math.Ceiling(0.95 * probes.Length), $"only {correct} of {probes.Length} identified");
        Assert.Empty(wrong);
    }

    /// <summary>
    /// Open-set identification: for each person, a tenant with everyone else enrolled is probed with
    /// that person's other photos. Returns how many of them were given a stranger's name.
    /// </summary>
    public static int IdentifyPeopleWhoAreNotEnrolled(FacePipeline pipeline, ITestOutputHelper output)
    {
        using var directory = new TestDirectory();
        using var vault = TemplateVault.OpenSqlite(directory.Path, new FixedMasterKeyProvider(8));
        var service = new FaceRecognitionService(pipeline, vault);
        var enrolled = DeepFacePhotos.Identities.GroupBy(p => p.Cluster).Select(g => g.First()).ToArray();

        int probes = 0, strangersNamed = 0;
        var named = new List<string>();
        foreach (var (_, absent) in enrolled)
        {
            var tenant = new TenantId($"without-{absent}");
            foreach (var (file, cluster) in enrolled.Where(e => e.Cluster != absent))
                service.Enroll(tenant, new SubjectId(cluster), File.ReadAllBytes(DeepFacePhotos.PathOf(file)));
            foreach (var (file, _) in DeepFacePhotos.Identities.Where(p => p.Cluster == absent).Except(enrolled))
            {
                probes++;
                var result = service.Identify(tenant, File.ReadAllBytes(DeepFacePhotos.PathOf(file)), top: 1);
                if (result.Match is null) continue;
                strangersNamed++;
                named.Add($"{file} ({absent}) -> {result.Match} {result.Candidates[0].Similarity:F4}");
            }
        }

        output.WriteLine($"{pipeline.Pack.Id}: {probes} probes of people not enrolled: {probes - strangersNamed} no match, {strangersNamed} named a stranger: {string.Join("; ", named)}");
        Assert.Equal(49, probes);
        return strangersNamed;
    }

    /// <summary>At least 98 % of the labelled pairs are judged correctly at the pack's calibrated threshold.</summary>
    /// <returns>How many pairs were misjudged.</returns>
    public static int VerifyLabelledPairs(FacePipeline pipeline, PackThreshold threshold, ITestOutputHelper output)
    {
        var decision = new MatchDecision(threshold);
        var embeddings = new Dictionary<string, FaceEmbedding>();
        FaceEmbedding EmbeddingOf(string file)
        {
            if (!embeddings.TryGetValue(file, out var embedding))
                embeddings[file] = embedding = pipeline.Embed(File.ReadAllBytes(DeepFacePhotos.PathOf(file)), FaceSelection.Largest).Embedding;
            return embedding;
        }

        var errors = new List<string>();
        foreach (var (a, b, same) in DeepFacePhotos.Pairs)
        {
            var similarity = Similarity.Cosine(EmbeddingOf(a), EmbeddingOf(b));
            if (decision.IsSamePerson(similarity) != same) errors.Add($"{a}/{b} same={same} similarity={similarity:F4}");
        }

        foreach (var embedding in embeddings.Values) embedding.Clear();
        var accuracy = 1.0 - (double)errors.Count / DeepFacePhotos.Pairs.Count;
        output.WriteLine($"{pipeline.Pack.Id}: {DeepFacePhotos.Pairs.Count} pairs at threshold {decision.Threshold}: accuracy {accuracy:P2}; errors: {string.Join("; ", errors)}");
        Assert.Equal(600, DeepFacePhotos.Pairs.Count);
        Assert.True(accuracy >= 0.98, $"accuracy {accuracy:P2} with {errors.Count} errors");
        return errors.Count;
    }
}
