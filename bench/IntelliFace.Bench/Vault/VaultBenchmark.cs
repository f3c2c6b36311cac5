using System.Diagnostics;
using IntelliFace.Bench.Report;
using IntelliFace.Embedding;
using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Vault;
using IntelliFace.Vault.Storage;

namespace IntelliFace.Bench.Vault;

/// <summary>What <see cref="VaultBenchmark"/> measures on one engine.</summary>
internal sealed record VaultNumbers(
    string Engine, int Templates, double SealMicroseconds, double OpenMicroseconds, double UnwrapSubjectKeyMicroseconds,
    double ColdOpenSeconds, double TenantRotationKeysPerSecond, int MasterRotationTenants, double MasterRotationKeysPerSecond);

/// <summary>
/// The vault's costs: sealing and opening one template, opening all templates of a tenant of
/// <see cref="VaultBenchmark.Templates"/> from a freshly opened vault (no key in memory, new connections;
/// the OS file cache is warm), and rotation throughput. One subject per template: the worst case for the
/// per-subject keys, since every template then needs its own subject key unwrapped.
/// </summary>
internal static class VaultBenchmark
{
    public const string Heading = "## Vault: sealing, cold start, rotation";
    public const int Templates = 100_000;
    private const int MasterRotationTenants = 1_000;
    private static readonly PackId Pack = new("bench-pack@1");
    private static readonly TenantId Tenant = new("bench");

    public static VaultNumbers Run(string engine, VaultLocation location, TextWriter progress)
    {
        var (seal, open, unwrap) = MicroCosts();
        progress.WriteLine($"vault {engine}: seal {seal:F2} us, open {open:F2} us, unwrap subject key {unwrap:F2} us");

        var master = new FixedKey(0x5a);
        using (var vault = TemplateVault.Open(location, master))
        {
            BulkEnroll(vault, Templates, progress);
        }

        var cold = Stopwatch.StartNew();
        int opened;
        using (var vault = TemplateVault.Open(location, master))
        {
            var templates = vault.LoadTemplates(Tenant, Pack);
            opened = templates.Count;
            foreach (var template in templates) template.Embedding.Clear();
        }
        cold.Stop();
        if (opened != Templates) throw new InvalidOperationException($"Opened {opened} templates, not {Templates}.");
        progress.WriteLine($"vault {engine}: cold open of {Templates:N0} templates {cold.Elapsed.TotalSeconds:F2} s");

        double tenantRate;
        using (var vault = TemplateVault.Open(location, master))
        {
            var timer = Stopwatch.StartNew();
            var result = new OperatorService(vault).RotateTenantKey(Tenant);
            tenantRate = result.Rewrapped / timer.Elapsed.TotalSeconds;
            for (var i = 0; i < MasterRotationTenants; i++) vault.EnsureTenant(new TenantId($"t{i:0000}"));
        }
        progress.WriteLine($"vault {engine}: tenant key rotation {tenantRate:F0} subject keys/s");

        double masterRate;
        using (var vault = TemplateVault.OpenForMasterRotation(location, master, new FixedKey(0x6b)))
        {
            var timer = Stopwatch.StartNew();
            var result = new OperatorService(vault).RotateMasterKey();
            masterRate = result.Rewrapped / timer.Elapsed.TotalSeconds;
        }
        progress.WriteLine($"vault {engine}: master key rotation {masterRate:F0} keys/s");
        return new VaultNumbers(engine, Templates, seal, open, unwrap, cold.Elapsed.TotalSeconds, tenantRate, MasterRotationTenants + 1, masterRate);
    }

    public static IEnumerable<string> Lines(IReadOnlyList<VaultNumbers> results)
    {
        yield return Heading;
        yield return "";
        yield return "`dotnet bench/IntelliFace.Bench/bin/Release/net10.0/IntelliFace.Bench.dll vault` (PostgreSQL too when `INTELLIFACE_POSTGRES` is set).";
        yield return $"One tenant of {Templates:N0} templates, one subject each: the worst case for per-subject keys, since each template";
        yield return "needs its own subject key unwrapped. \"Cold\" means a freshly opened vault: no key in memory and new connections.";
        yield return "The OS file cache is warm. Seal and open are per template (AES-256-GCM over 512 bytes, with associated data); unwrap";
        yield return "is per subject key. Tenant rotation re-wraps every subject key of the tenant. Master rotation re-wraps one data key";
        yield return "per tenant and the audit key. Both use batches of 500, one transaction each.";
        yield return "";
        yield return Markdown.Header("engine", "seal / template", "open / template", "unwrap / subject key", $"open all {Templates:N0} (cold)", "tenant rotation", "master rotation");
        foreach (var r in results)
        {
            yield return Markdown.Row(r.Engine, $"{Markdown.Number(r.SealMicroseconds, "F2")} us", $"{Markdown.Number(r.OpenMicroseconds, "F2")} us",
                $"{Markdown.Number(r.UnwrapSubjectKeyMicroseconds, "F2")} us", $"{Markdown.Number(r.ColdOpenSeconds, "F2")} s",
                $"{Markdown.Number(r.TenantRotationKeysPerSecond, "F0")} keys/s", $"{Markdown.Number(r.MasterRotationKeysPerSecond, "F0")} keys/s ({r.MasterRotationTenants:N0} keys)");
        }
    }

    private static (double Seal, double Open, double Unwrap) MicroCosts()
    {
        const int Rounds = 20_000;
        using var tenantKey = TenantDataKey.Generate(Tenant, 1);
        using var key = SubjectKey.Generate(Tenant, new SubjectId("s"), 1);
        var embedding = new FaceEmbedding(Pack, Enumerable.Range(0, FaceEmbedding.Dimension).Select(i => i / 128f).ToArray());
        var id = TemplateId.New();
        var sealedTemplate = TemplateSeal.Seal(key, id, embedding);
        var wrapped = SubjectKeyWrap.Wrap(tenantKey, key);
        for (var i = 0; i < 1000; i++) TemplateSeal.Open(key, id, Pack, TemplateSeal.Seal(key, id, embedding)).Clear();

        var timer = Stopwatch.StartNew();
        for (var i = 0; i < Rounds; i++) TemplateSeal.Seal(key, id, embedding);
        var seal = timer.Elapsed.TotalMicroseconds / Rounds;
        timer.Restart();
        for (var i = 0; i < Rounds; i++) TemplateSeal.Open(key, id, Pack, sealedTemplate).Clear();
        var open = timer.Elapsed.TotalMicroseconds / Rounds;
        timer.Restart();
        for (var i = 0; i < Rounds; i++) SubjectKeyWrap.Unwrap(tenantKey, key.Subject, 1, wrapped).Dispose();
        var unwrap = timer.Elapsed.TotalMicroseconds / Rounds;
        return (seal, open, unwrap);
    }

    /// <summary>Fills the tenant with one-template subjects, sealing as the vault does but writing in large transactions.</summary>
    private static void BulkEnroll(TemplateVault vault, int count, TextWriter progress)
    {
        const int Batch = 5_000;
        vault.EnsureTenant(Tenant);
        var tenantKey = vault.CurrentTenantKey(Tenant);
        var now = DateTimeOffset.UtcNow;
        for (var start = 0; start < count; start += Batch)
        {
            var rows = new List<(WrappedSubjectKey Key, SealedTemplate Template)>(Batch);
            for (var i = start; i < Math.Min(count, start + Batch); i++)
            {
                var subject = new SubjectId($"s{i:000000}");
                using var key = SubjectKey.Generate(Tenant, subject, 1);
                var embedding = new FaceEmbedding(Pack, Enumerable.Range(0, FaceEmbedding.Dimension).Select(d => (i % 997 + d) / 1000f).ToArray());
                var id = TemplateId.New();
                rows.Add((new WrappedSubjectKey(Tenant, subject, 1, tenantKey.Version, SubjectKeyWrap.Wrap(tenantKey, key), now),
                    new SealedTemplate(id, Tenant, subject, Pack, 1, now, TemplateSeal.Seal(key, id, embedding))));
            }
            vault.Keys.Database.Write(session =>
            {
                foreach (var (key, _) in rows)
                {
                    session.Execute("INSERT INTO subject_keys (tenant_id, subject_id, key_version, tenant_key_version, wrapped_key, created_ms) VALUES (@t, @s, 1, @v, @w, @c)",
                        ("@t", key.Tenant.Value), ("@s", key.Subject.Value), ("@v", (long)key.TenantKeyVersion), ("@w", key.Wrapped), ("@c", StoredTime.Of(now)));
                }
            });
            vault.Templates.Database.Write(session =>
            {
                foreach (var (_, template) in rows)
                {
                    session.Execute("INSERT INTO subjects (tenant_id, subject_id, created_ms) VALUES (@t, @s, @c)",
                        ("@t", template.Tenant.Value), ("@s", template.Subject.Value), ("@c", StoredTime.Of(now)));
                    session.Execute("INSERT INTO templates (template_id, tenant_id, subject_id, pack_id, key_version, created_ms, last_used_ms, sealed) VALUES (@id, @t, @s, @p, 1, @c, @c, @x)",
                        ("@id", template.Id.Value), ("@t", template.Tenant.Value), ("@s", template.Subject.Value), ("@p", template.Pack.Value),
                        ("@c", StoredTime.Of(now)), ("@x", template.Sealed));
                }
            });
        }
        progress.WriteLine($"vault: enrolled {count:N0} templates");
    }

    private sealed class FixedKey(byte fill) : IMasterKeyProvider
    {
        public IMasterKey GetMasterKey() => new MasterKey(Enumerable.Repeat(fill, MasterKey.ByteLength).ToArray());
    }
}
