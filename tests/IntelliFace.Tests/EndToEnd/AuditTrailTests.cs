using System.Text.Json;
using IntelliFace.Audit;
using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Tests.Vault;
using IntelliFace.Vault;

namespace IntelliFace.Tests.EndToEnd;

/// <summary>The application layer audits every operation it serves; the CLI verifies and exports the chain.</summary>
public sealed class AuditTrailTests(FaceApiPackFixture fixture) : IClassFixture<FaceApiPackFixture>
{
    private static readonly TenantId Acme = new("acme");
    private static readonly SubjectId Alice = new("alice");

    [Fact]
    public void Enroll_verify_identify_erase_and_export_each_append_one_entry_without_biometric_data()
    {
        using var directory = new TestDirectory();
        using var vault = TemplateVault.OpenSqlite(directory.Path, new FixedMasterKeyProvider(5));
        var service = new FaceRecognitionService(fixture.Pipeline, vault);
        var data = new TenantDataService(vault);

        var enrolled = service.Enroll(Acme, Alice, File.ReadAllBytes(DeepFacePhotos.PathOf("img1.jpg")));
        service.Verify(Acme, Alice, File.ReadAllBytes(DeepFacePhotos.PathOf("img2.jpg")));
        service.Identify(Acme, File.ReadAllBytes(DeepFacePhotos.PathOf("img4.jpg")), top: 3);
        Assert.Equal(FaceErrorCode.MultipleFaces,
            Assert.Throws<FaceException>(() => service.Enroll(Acme, Alice, File.ReadAllBytes(DeepFacePhotos.PathOf("couple.jpg")))).Code);
        data.EraseSubject(Acme, Alice);
        var exported = data.ExportAudit(Acme);

        var pack = service.Pack.Value;
        Assert.Equal(
            [
                "local enroll alice ok pack=" + pack + ",template=" + enrolled.Template.Value,
                "local verify alice ok match=true,pack=" + pack,
                "local identify alice ok candidates=1,pack=" + pack,
                "local enroll alice multiple_faces ",
                "local subject.erase alice ok ",
            ],
            exported.Select(Line));
        var all = vault.Audit.Entries(Acme);
        Assert.Equal("local audit.export  ok entries=5", Line(all[^1]));
        Assert.True(vault.Audit.Verify().Intact);
    }

    [Fact]
    public void The_cli_verifies_the_chain_names_a_tampered_entry_and_exports_a_tenants_trail()
    {
        using var root = new TestDirectory();
        var environment = new Dictionary<string, string>
        {
            ["INTELLIFACE_DATA"] = root.File("data"),
            [EnvironmentMasterKeyProvider.VariableName] = Convert.ToBase64String(Enumerable.Repeat((byte)9, 32).ToArray()),
        };
        Assert.Equal(0, CliProcess.Run(environment, "enroll", "--tenant", "acme", "--subject", "alice", DeepFacePhotos.PathOf("img1.jpg")).ExitCode);
        Assert.Equal(0, CliProcess.Run(environment, "verify", "--tenant", "acme", "--subject", "alice", DeepFacePhotos.PathOf("img2.jpg")).ExitCode);
        Assert.Equal(0, CliProcess.Run(environment, "enroll", "--tenant", "globex", "--subject", "bob", DeepFacePhotos.PathOf("img4.jpg")).ExitCode);

        var intact = CliProcess.Run(environment, "audit", "verify");
        Assert.Equal((0, "audit chain intact: 3 entries\n"), (intact.ExitCode, intact.Stdout));

        var export = CliProcess.Run(environment, "audit", "export", "--tenant", "acme");
        var lines = export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToArray();
        Assert.Equal([1L, 2L], lines.Select(l => l.GetProperty("seq").GetInt64()));
        Assert.Equal(["enroll", "verify"], lines.Select(l => l.GetProperty("action").GetString()));
        Assert.All(lines, l => Assert.Equal("acme", l.GetProperty("tenant").GetString()));

        var location = VaultLocation.SqliteFolder(root.File("data"));
        var (vaultDatabase, keyDatabase) = location.OpenDatabases();
        vaultDatabase.Write(session => session.Execute("UPDATE audit_log SET outcome = 'no_face' WHERE seq = 2"));
        vaultDatabase.Dispose();
        keyDatabase.Dispose();

        var broken = CliProcess.Run(environment, "audit", "verify", "--json");
        Assert.Equal(1, broken.ExitCode);
        using var report = JsonDocument.Parse(broken.Stdout);
        Assert.False(report.RootElement.GetProperty("intact").GetBoolean());
        Assert.Equal(2, report.RootElement.GetProperty("first_bad_entry").GetInt64());
        Assert.Equal("entry 2 was altered (its content no longer matches its hash).", report.RootElement.GetProperty("problem").GetString());
    }

    private static string Line(AuditEntry entry) =>
        $"{entry.Record.Actor} {entry.Record.Action} {entry.Record.Subject?.Value} {entry.Record.Outcome} "
        + string.Join(",", entry.Record.Details.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}"));
}
