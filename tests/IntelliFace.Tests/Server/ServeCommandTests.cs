using System.Net;
using IntelliFace.Tests.EndToEnd;
using IntelliFace.Tests.Vault;

namespace IntelliFace.Tests.Server;

/// <summary><c>intelliface serve</c>, the real program: starts, answers, stops cleanly, refuses bad addresses.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_answers_health_on_both_listeners_and_exits_0_on_SIGTERM()
    {
        using var root = new TestDirectory();
        using var serve = ServeProcess.Start(new Dictionary<string, string>(), "--data", root.File("data"), "--key-file", root.File("master.key"));
        using var client = new HttpClient();
        using (var tenant = await client.GetAsync(new Uri(serve.TenantApi, "/healthz"))) Assert.Equal(HttpStatusCode.OK, tenant.StatusCode);
        using (var operatorApi = await client.GetAsync(new Uri(serve.OperatorApi, "/readyz"))) Assert.Equal(HttpStatusCode.OK, operatorApi.StatusCode);

        Assert.Equal(0, serve.Terminate());
    }

    [Theory]
    [InlineData("--listen", "http://example.com:8080")]
    [InlineData("--listen", "https://127.0.0.1:8080")]
    [InlineData("--ops-listen", "not a url")]
    [InlineData("--listen", "http://127.0.0.1")]
    public void A_bad_listen_address_is_a_one_line_usage_error(string option, string address)
    {
        using var root = new TestDirectory();
        var run = CliProcess.Run(new Dictionary<string, string>(), "serve", option, address, "--data", root.File("data"), "--key-file", root.File("master.key"));
        Assert.Equal(2, run.ExitCode);
        var error = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith("intelliface: ", StringComparison.Ordinal) && !line.Contains("warning"));
        Assert.EndsWith("(invalid_argument)", error);
    }

    [Fact]
    public void A_port_in_use_is_a_one_line_error()
    {
        using var root = new TestDirectory();
        using var occupied = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;
        var run = CliProcess.Run(new Dictionary<string, string>(), "serve", "--listen", $"http://127.0.0.1:{port}", "--ops-listen", "http://127.0.0.1:0",
            "--data", root.File("data"), "--key-file", root.File("master.key"));
        Assert.NotEqual(0, run.ExitCode);
        var error = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith("intelliface: ", StringComparison.Ordinal) && !line.Contains("warning"));
        Assert.Contains($"127.0.0.1:{port}", error);
    }
}
