using System.Text.Json;
using IntelliFace.Tests.Vault;
using IntelliFace.Vault;

namespace IntelliFace.Tests.EndToEnd;

public sealed class StoreUnavailableCliTests
{
    [Fact]
    public void A_postgresql_server_that_cannot_be_reached_is_store_unavailable_with_exit_3()
    {
        using var root = new TestDirectory();
        var environment = new Dictionary<string, string>
        {
            [VaultPaths.PostgresVariable] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=secret-not-printed;Timeout=2",
            [EnvironmentMasterKeyProvider.VariableName] = Convert.ToBase64String(Enumerable.Repeat((byte)2, 32).ToArray()),
            ["INTELLIFACE_DATA"] = root.File("data"),
        };

        var outcome = CliProcess.Run(environment, "subjects", "list", "--tenant", "acme", "--json");

        using var error = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal((3, "store_unavailable"), (outcome.ExitCode, error.RootElement.GetProperty("error").GetString()));
        Assert.StartsWith("The PostgreSQL server at postgresql://127.0.0.1:1/none cannot be used:", error.RootElement.GetProperty("message").GetString());
        Assert.DoesNotContain("secret-not-printed", outcome.Stdout + outcome.Stderr);
        Assert.False(Directory.Exists(root.File("data")));
    }
}
