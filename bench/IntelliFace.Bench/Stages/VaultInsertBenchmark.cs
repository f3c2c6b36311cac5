using System.Diagnostics;
using System.Security.Cryptography;
using IntelliFace.Embedding;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Bench.Stages;

/// <param name="InsertMs">Median of one sealed template written to SQLite (its own transaction, as the vault does).</param>
/// <param name="AddTemplateMs">Median of <see cref="TemplateVault.AddTemplate"/>: key lookup, seal and insert together.</param>
internal sealed record VaultInsert(int Samples, double InsertMs, double AddTemplateMs);

/// <summary>
/// The vault's write path on a throw-away SQLite vault in a temporary folder (deleted afterwards),
/// with a random in-memory master key that is never written anywhere. The embeddings are random
/// numbers, not faces: no biometric data reaches the disk, not even encrypted.
/// </summary>
internal static class VaultInsertBenchmark
{
    public static VaultInsert Run(PackId pack, int samples)
    {
        var folder = Directory.CreateTempSubdirectory("intelliface-bench-vault-");
        try
        {
            var store = SqliteVaultStore.Open(Path.Combine(folder.FullName, VaultPaths.DatabaseFileName));
            using var vault = new TemplateVault(store, new MasterKey(RandomNumberGenerator.GetBytes(MasterKey.ByteLength)));
            var tenant = new TenantId("bench");
            vault.EnsureTenant(tenant);
            using var tenantKey = TenantDataKey.Generate(tenant, version: 1);

            List<double> insert = [], addTemplate = [];
            for (var i = -10; i < samples; i++)
            {
                var subject = new SubjectId($"subject-{i + 10:D5}");
                var embedding = RandomEmbedding(pack);

                var id = TemplateId.New();
                var sealedTemplate = new SealedTemplate(id, tenant, subject, pack, tenantKey.Version, DateTimeOffset.UtcNow,
                    TemplateSeal.Seal(tenantKey, subject, id, embedding));
                var start = Stopwatch.GetTimestamp();
                store.AddTemplate(sealedTemplate);
                var insertMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

                start = Stopwatch.GetTimestamp();
                vault.AddTemplate(tenant, subject, embedding);
                var addMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

                if (i < 0) continue; // warm-up: connection pool, statement compilation
                insert.Add(insertMs);
                addTemplate.Add(addMs);
            }

            return new VaultInsert(samples, SampleSummary.Of(insert).Median, SampleSummary.Of(addTemplate).Median);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static FaceEmbedding RandomEmbedding(PackId pack)
    {
        var values = new float[FaceEmbedding.Dimension];
        for (var i = 0; i < values.Length; i++) values[i] = Random.Shared.NextSingle() - 0.5f;
        return new FaceEmbedding(pack, values);
    }
}
