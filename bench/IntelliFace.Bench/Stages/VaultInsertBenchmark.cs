using System.Diagnostics;
using IntelliFace.Embedding;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Bench.Stages;

/// <param name="InsertMs">Median of one sealed template written to the vault database (its own transaction, as the vault does).</param>
/// <param name="AddToNewSubjectMs">Median of <see cref="TemplateVault.AddTemplate"/> for a new subject: its key is made, wrapped and stored too.</param>
/// <param name="AddToKnownSubjectMs">Median of <see cref="TemplateVault.AddTemplate"/> for a subject that has a key: unwrap, seal, insert.</param>
internal sealed record VaultInsert(int Samples, double InsertMs, double AddToNewSubjectMs, double AddToKnownSubjectMs);

/// <summary>
/// The vault's write path on a throw-away SQLite vault in a temporary folder (deleted afterwards),
/// with a random in-memory master key that is never written anywhere. The embeddings are random
/// numbers, not faces: no biometric data reaches the disk, not even encrypted.
/// </summary>
internal static class VaultInsertBenchmark
{
    private const int WarmUp = 10;

    public static VaultInsert Run(PackId pack, int samples)
    {
        var folder = Directory.CreateTempSubdirectory("intelliface-bench-vault-");
        try
        {
            using var vault = TemplateVault.Open(VaultLocation.SqliteFolder(folder.FullName), new InMemoryMasterKey());
            var tenant = new TenantId("bench");
            vault.EnsureTenant(tenant);

            List<double> insert = [], addNew = [], addKnown = [];
            for (var i = -WarmUp; i < samples; i++)
            {
                var subject = new SubjectId($"subject-{i + WarmUp:D5}");
                var embedding = RandomEmbedding(pack);
                var newSubject = Time(() => vault.AddTemplate(tenant, subject, embedding));
                var knownSubject = Time(() => vault.AddTemplate(tenant, subject, embedding));

                using var key = vault.SubjectKeyOf(tenant, subject, createIfMissing: false)!;
                var id = TemplateId.New();
                var sealedTemplate = new SealedTemplate(id, tenant, subject, pack, key.Version, DateTimeOffset.UtcNow, TemplateSeal.Seal(key, id, embedding));
                var insertOnly = Time(() => vault.Templates.AddTemplate(sealedTemplate));

                if (i < 0) continue; // warm-up: connection pool, statement compilation
                addNew.Add(newSubject);
                addKnown.Add(knownSubject);
                insert.Add(insertOnly);
            }

            return new VaultInsert(samples, SampleSummary.Of(insert).Median, SampleSummary.Of(addNew).Median, SampleSummary.Of(addKnown).Median);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static double Time(Action call)
    {
        var start = Stopwatch.GetTimestamp();
        call();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static FaceEmbedding RandomEmbedding(PackId pack)
    {
        var values = new float[FaceEmbedding.Dimension];
        for (var i = 0; i < values.Length; i++) values[i] = Random.Shared.NextSingle() - 0.5f;
        return new FaceEmbedding(pack, values);
    }
}

/// <summary>A random master key held only in memory, never written anywhere, for throw-away vaults.</summary>
internal sealed class InMemoryMasterKey : IMasterKeyProvider
{
    private readonly byte[] _key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(MasterKey.ByteLength);

    public IMasterKey GetMasterKey() => new MasterKey(_key);
}
