using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Tests.Vault;
using IntelliFace.Vault;

namespace IntelliFace.Tests.EndToEnd;

public sealed class ConcurrentIdentifyTests(FaceApiPackFixture fixture) : IClassFixture<FaceApiPackFixture>
{
    [Fact]
    public void Identify_from_8_threads_at_once_gives_the_same_answers_as_one_after_another()
    {
        using var directory = new TestDirectory();
        using var vault = TemplateVault.OpenSqlite(directory.Path, new FixedMasterKeyProvider(9));
        var service = new FaceRecognitionService(fixture.Pipeline, vault);
        var tenant = new TenantId("concurrent");
        var enrolled = DeepFacePhotos.Identities.GroupBy(p => p.Cluster).Select(g => g.First()).ToArray();
        foreach (var (file, cluster) in enrolled)
            service.Enroll(tenant, new SubjectId(cluster), File.ReadAllBytes(DeepFacePhotos.PathOf(file)));
        var probes = DeepFacePhotos.Identities.Except(enrolled).Take(16)
            .Select(p => File.ReadAllBytes(DeepFacePhotos.PathOf(p.File)))
            .Append(File.ReadAllBytes(SharedData.PathOf("faces", "hard", "public", "pillow__hopper.png")))
            .ToArray();

        string Answer(byte[] photo)
        {
            var result = service.Identify(tenant, photo, top: 3);
            return $"{result.Match}|{string.Join(",", result.Candidates.Select(c => $"{c.Subject}:{c.Similarity:R}"))}";
        }

        var sequential = probes.Select(Answer).ToArray();
        var concurrent = new string[8][];
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            // Each thread walks the probes from a different start so different photos overlap in time.
            concurrent[t] = new string[probes.Length];
            for (var i = 0; i < probes.Length; i++)
            {
                var index = (i + 2 * t) % probes.Length;
                concurrent[t][index] = Answer(probes[index]);
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();

        Assert.Contains(sequential, a => a.StartsWith("|", StringComparison.Ordinal)); // hopper: not enrolled, "no match"
        Assert.Equal(16, sequential.Count(a => !a.StartsWith("|", StringComparison.Ordinal)));
        foreach (var answers in concurrent) Assert.Equal(sequential, answers);
    }
}
