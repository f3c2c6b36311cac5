using System.Text.Json;
using IntelliFace.Tests.Vault;
using IntelliFace.Vault;

namespace IntelliFace.Tests.EndToEnd;

public sealed class BreakGlassCliTests
{
    [Fact]
    public void One_operator_requests_another_approves_and_the_access_shows_in_the_tenants_trail()
    {
        using var root = new TestDirectory();
        var local = new Dictionary<string, string>
        {
            ["INTELLIFACE_DATA"] = root.File("data"),
            [EnvironmentMasterKeyProvider.VariableName] = Convert.ToBase64String(Enumerable.Repeat((byte)6, 32).ToArray()),
        };
        using (var vault = TemplateVault.OpenSqlite(root.File("data"), new FixedMasterKeyProvider(6)))
            vault.AddTemplate(new("acme"), new("alice"), TestEmbeddings.Make(TestEmbeddings.PackA, 1));
        var ada = Field(Run(local, "operators", "add", "ada", "--json"), "api_key");
        var bob = Field(Run(local, "operators", "add", "bob", "--json"), "api_key");
        var tenantKey = Field(Run(local, "apikeys", "create", "--tenant", "acme", "--scopes", "read_audit", "--json"), "api_key");
        Dictionary<string, string> As(string key) => new(local) { ["INTELLIFACE_API_KEY"] = key };

        var grant = Field(Run(As(ada), "breakglass", "request", "--tenant", "acme", "--reason", "support", "--ticket", "INC-7",
            "--operations", "subjects.list", "--minutes", "5", "--json"), "grant");
        var selfApproval = CliProcess.Run(As(ada), "breakglass", "approve", grant, "--json");
        Run(As(bob), "breakglass", "approve", grant);
        var used = Run(As(ada), "breakglass", "use", grant, "--tenant", "acme", "--operation", "subjects.list");
        var outOfScope = CliProcess.Run(As(ada), "breakglass", "use", grant, "--tenant", "acme", "--operation", "audit.export", "--json");
        var trail = Run(As(tenantKey), "audit", "export", "--tenant", "acme");

        Assert.Equal((1, "self_approval"), (selfApproval.ExitCode, Field(selfApproval.Stdout, "error")));
        Assert.Equal("alice\t1 template(s)\n", used);
        Assert.Equal((4, "forbidden"), (outOfScope.ExitCode, Field(outOfScope.Stdout, "error")));
        var actions = trail.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var entry = JsonDocument.Parse(line);
            return $"{entry.RootElement.GetProperty("actor").GetString()} {entry.RootElement.GetProperty("action").GetString()} {entry.RootElement.GetProperty("outcome").GetString()}";
        });
        Assert.Equal(
            [
                "local apikey.create ok", "operator:ada breakglass.request ok", "operator:ada breakglass.approve self_approval",
                "operator:bob breakglass.approve ok", "operator:ada subjects.list ok", "operator:ada audit.export forbidden",
            ],
            actions);
    }

    private static string Run(Dictionary<string, string> environment, params string[] arguments)
    {
        var outcome = CliProcess.Run(environment, arguments);
        Assert.True(outcome.ExitCode == 0, $"intelliface {string.Join(' ', arguments)} exited {outcome.ExitCode}: {outcome.Stderr}{outcome.Stdout}");
        return outcome.Stdout;
    }

    private static string Field(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty(name).GetString()!;
    }
}
