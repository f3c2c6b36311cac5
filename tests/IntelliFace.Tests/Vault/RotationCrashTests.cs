using System.Diagnostics;
using IntelliFace.Tenancy;
using IntelliFace.Tests.EndToEnd;
using IntelliFace.Vault;
using Xunit.Abstractions;

namespace IntelliFace.Tests.Vault;

/// <summary>
/// The real <c>intelliface keys rotate ...</c>, killed with SIGKILL at 50 random moments and run again each time:
/// every template stays readable, every key exists wrapped exactly once, and no template is ever re-sealed.
/// </summary>
public sealed class RotationCrashTests(ITestOutputHelper output)
{
    private const int Kills = 50;

    public static TheoryData<string> Backends => VaultBackend.Names;

    [Theory, MemberData(nameof(Backends))]
    public void Tenant_key_rotation_killed_at_50_random_moments_finishes_with_every_template_readable(string backend)
    {
        const int Subjects = 2000;
        using var store = VaultBackend.Create(backend);
        using (var vault = store.Open(masterKeyFill: 0x31))
        {
            for (var i = 0; i < Subjects; i++) vault.AddTemplate(new TenantId("acme"), new SubjectId($"s{i:0000}"), TestEmbeddings.Make(TestEmbeddings.PackA, i));
        }
        var sealedBefore = KeyRotationTests.SealedDigest(store);
        var environment = store.CliEnvironment(Convert.ToBase64String(Enumerable.Repeat((byte)0x31, 32).ToArray()));
        string[] rotate = ["keys", "rotate", "tenant", "--tenant", "acme", "--batch", "5"];

        var midRotation = KillRepeatedly(environment, rotate, afterKill: () =>
        {
            // After any kill: every subject has one key, and it is wrapped by a version that exists.
            Assert.Equal((long)Subjects, store.KeyCount("SELECT COUNT(*) FROM subject_keys"));
            return store.KeyCount("SELECT COUNT(*) FROM tenant_keys") > 1;
        });

        Assert.Equal(0, CliProcess.Run(environment, rotate).ExitCode);
        Assert.Equal(1L, store.KeyCount("SELECT COUNT(*) FROM tenant_keys"));
        Assert.Equal((long)Subjects, store.KeyCount("SELECT COUNT(*) FROM subject_keys WHERE tenant_key_version = (SELECT key_version FROM tenant_keys)"));
        Assert.Equal(sealedBefore, KeyRotationTests.SealedDigest(store));
        using var reopened = store.Open(masterKeyFill: 0x31);
        var templates = reopened.LoadTemplates(new TenantId("acme"), TestEmbeddings.PackA);
        Assert.Equal(Subjects, templates.Count);
        Assert.Equal(TestEmbeddings.Make(TestEmbeddings.PackA, 1234).Values.ToArray(), templates.Single(t => t.Subject.Value == "s1234").Embedding.Values.ToArray());
        Assert.True(reopened.Audit.Verify().Intact);
        Assert.True(midRotation >= 10, $"only {midRotation} of the kills landed in the middle of a rotation");
    }

    [Theory, MemberData(nameof(Backends))]
    public void Master_key_rotation_killed_at_50_random_moments_finishes_with_every_template_readable(string backend)
    {
        // SQLite re-wraps a tenant key about ten times faster than PostgreSQL: with as many tenants its rotation would be
        // a sliver of each run, too thin for random kills to land in.
        var tenants = backend == VaultBackend.Sqlite ? 3000 : 400;
        using var store = VaultBackend.Create(backend);
        var current = Enumerable.Repeat((byte)0x41, 32).ToArray();
        using (var vault = TemplateVault.Open(store.Location, new BytesMasterKeyProvider(current)))
        {
            for (var i = 0; i < tenants; i++) vault.AddTemplate(new TenantId($"t{i:000}"), new SubjectId("s"), TestEmbeddings.Make(TestEmbeddings.PackA, i));
        }
        var sealedBefore = KeyRotationTests.SealedDigest(store);
        var nextKeyFile = store.Directory.File("next.key");
        string[] rotate = ["keys", "rotate", "master", "--new-key-file", nextKeyFile, "--batch", "1"];

        var midRotation = KillRepeatedly(() => store.CliEnvironment(Convert.ToBase64String(current)), rotate, afterKill: () =>
        {
            Assert.Equal((long)tenants, store.KeyCount("SELECT COUNT(*) FROM tenant_keys"));
            return store.KeyCount("SELECT COUNT(DISTINCT master_key_id) FROM tenant_keys") > 1;
        }, afterCompletion: () =>
        {
            // Install the new key, as the operator would, and rotate on from it next time.
            current = Convert.FromBase64String(File.ReadAllText(nextKeyFile).Trim());
            File.Delete(nextKeyFile);
        });

        Assert.Equal(0, CliProcess.Run(store.CliEnvironment(Convert.ToBase64String(current)), rotate).ExitCode);
        current = Convert.FromBase64String(File.ReadAllText(nextKeyFile).Trim());
        using var finalKey = new MasterKey(current);
        Assert.Equal(finalKey.Id, (string)store.KeySql("SELECT DISTINCT master_key_id FROM tenant_keys")!);
        Assert.Equal(finalKey.Id, (string)store.KeySql("SELECT DISTINCT master_key_id FROM vault_keys")!);
        Assert.Equal(sealedBefore, KeyRotationTests.SealedDigest(store));
        using var reopened = TemplateVault.Open(store.Location, new BytesMasterKeyProvider(current));
        for (var i = 0; i < tenants; i++) Assert.Single(reopened.LoadTemplates(new TenantId($"t{i:000}"), TestEmbeddings.PackA));
        Assert.True(reopened.Audit.Verify().Intact);
        Assert.True(midRotation >= 10, $"only {midRotation} of the kills landed in the middle of a rotation");
    }

    private int KillRepeatedly(Dictionary<string, string> environment, string[] arguments, Func<bool> afterKill) =>
        KillRepeatedly(() => environment, arguments, afterKill, afterCompletion: () => { });

    /// <summary>Starts the command and kills it at a random moment until it was killed <see cref="Kills"/> times;
    /// returns how many kills left a rotation half-done (as <paramref name="afterKill"/> tells).</summary>
    private int KillRepeatedly(Func<Dictionary<string, string>> environment, string[] arguments, Func<bool> afterKill, Action afterCompletion)
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        // Timed on the second run: the first also pays for cold caches and creating files.
        var fullRun = TimeSpan.Zero;
        for (var run = 0; run < 2; run++)
        {
            var timer = Stopwatch.StartNew();
            using var complete = CliProcess.Start(environment(), arguments);
            complete.WaitForExit();
            Assert.Equal(0, complete.ExitCode);
            fullRun = timer.Elapsed;
            afterCompletion();
        }
        // Starting the program and opening the vault takes most of a run; a quick command times that part, so
        // that three kills in four land in the rotation itself and one anywhere.
        // The quickest of three, as noise only adds time; capped so that a window of kills is left at the end of a run
        // even when the rotation is a small part of it (a quiet machine, a fast backend).
        var startup = long.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var startupTimer = Stopwatch.StartNew();
            Assert.Equal(0, CliProcess.Run(environment(), "tenants", "list").ExitCode);
            startup = Math.Min(startup, startupTimer.Elapsed.Ticks);
        }
        startup = Math.Min(startup, fullRun.Ticks * 9 / 10);
        int kills = 0, completions = 2, midRotation = 0;
        while (kills < Kills)
        {
            // Bounded: a run that keeps finishing before its moment must not loop for ever.
            Assert.True(completions < 20 * Kills, $"{completions} runs finished before their moment to be killed, after {kills} kills");
            var timer = Stopwatch.StartNew();
            using var process = CliProcess.Start(environment(), arguments);
            var from = kills % 4 == 3 ? 0 : startup;
            if (process.WaitForExit(TimeSpan.FromTicks(from + (long)(random.NextDouble() * (fullRun.Ticks - from)))))
            {
                Assert.Equal(0, process.ExitCode);
                completions++;
                afterCompletion();
                // The machine got faster (other work ended): move the window of kills halfway towards the time a run takes
                // now, keeping its proportions, so that runs which keep finishing early make it shrink until kills land.
                var scale = (1 + timer.Elapsed.Ticks / (double)fullRun.Ticks) / 2;
                fullRun = TimeSpan.FromTicks((long)(fullRun.Ticks * scale));
                startup = (long)(startup * scale);
                continue;
            }
            process.Kill(); // SIGKILL
            process.WaitForExit();
            kills++;
            if (afterKill()) midRotation++;
        }
        output.WriteLine($"seed {seed}: a full run took {fullRun.TotalMilliseconds:F0} ms, start-up {startup / TimeSpan.TicksPerMillisecond} ms; {kills} kills ({midRotation} mid-rotation), {completions} runs completed");
        return midRotation;
    }
}

/// <summary>A master key given as bytes (the test changes it as rotations complete).</summary>
internal sealed class BytesMasterKeyProvider(byte[] key) : IMasterKeyProvider
{
    public IMasterKey GetMasterKey() => new MasterKey(key);
}
