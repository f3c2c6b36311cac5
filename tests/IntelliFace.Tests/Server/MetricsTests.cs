using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntelliFace.Tests.EndToEnd;
using IntelliFace.Tests.Vault;

namespace IntelliFace.Tests.Server;

/// <summary>
/// <c>/metrics</c>: Prometheus text on the operator listener, request counts per route and stage durations per pack.
/// Measured on <c>intelliface serve</c> in a process of its own: meters are process-wide by name, so services started
/// by other tests in this process would add to the counts.
/// </summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Requests_are_counted_under_their_routes_and_the_stages_under_the_pack_on_the_operator_listener_only()
    {
        using var root = new TestDirectory();
        string[] store = ["--data", root.File("data"), "--key-file", root.File("master.key")];
        Assert.Equal(0, CliProcess.Run(new Dictionary<string, string>(), ["tenants", "create", "acme", .. store]).ExitCode);
        var created = CliProcess.Run(new Dictionary<string, string>(), ["apikeys", "create", "--tenant", "acme", "--scopes", "enroll,recognise", "--json", .. store]);
        Assert.True(created.ExitCode == 0, created.Stderr);
        var key = JsonDocument.Parse(created.Stdout).RootElement.GetProperty("api_key").GetString()!;

        using var serve = ServeProcess.Start(new Dictionary<string, string>(), store);
        using var tenant = new HttpClient { BaseAddress = serve.TenantApi };
        using var operatorApi = new HttpClient { BaseAddress = serve.OperatorApi };
        tenant.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        using (var enroll = await tenant.PostAsync("/v1/subjects/metrics-subject/templates", Photo("img1.jpg")))
            Assert.Equal(HttpStatusCode.Created, enroll.StatusCode);
        for (var i = 0; i < 3; i++)
        {
            using var verify = await tenant.PostAsync("/v1/subjects/metrics-subject/verify", Photo("img2.jpg"));
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        }
        using (var unknown = await tenant.PostAsync("/v1/subjects/nobody/verify", Photo("img2.jpg")))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // A request's measurement is recorded once its answer is complete, a moment after the client has read it.
        string text;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            using var scrape = await operatorApi.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            Assert.Equal("text/plain", scrape.Content.Headers.ContentType?.MediaType);
            text = await scrape.Content.ReadAsStringAsync();
        }
        while (Requests(text, "POST", "200", "/v1/subjects/{subject}/verify") < 3 && DateTime.UtcNow < deadline && await Pause());

        Assert.Equal(3, Requests(text, "POST", "200", "/v1/subjects/{subject}/verify"));
        Assert.Equal(1, Requests(text, "POST", "404", "/v1/subjects/{subject}/verify"));
        Assert.Equal(1, Requests(text, "POST", "201", "/v1/subjects/{subject}/templates"));

        const string Pack = "ssd.dlib150.faceapi@b413e420-p1";
        // Four photos went through the pipeline; the unknown subject was refused before it. One template was sealed.
        foreach (var (stage, count) in new[] { ("decode", 4), ("detect", 4), ("embed", 4), ("gallery", 3), ("match", 3), ("seal", 1) })
        {
            var series = new Regex($"^intelliface_pipeline_stage_duration_seconds_count\\{{[^}}]*pack=\"{Regex.Escape(Pack)}\",stage=\"{stage}\"[^}}]*\\}} (\\d+)$", RegexOptions.Multiline);
            Assert.True(count == Sum(text, series), $"stage {stage}: {Sum(text, series)} measurements, expected {count}");
        }
        Assert.DoesNotContain("metrics-subject", text);
        Assert.DoesNotContain("nobody", text);

        using var onTenantListener = await tenant.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, onTenantListener.StatusCode);
        Assert.Equal(0, serve.Terminate());
    }

    private static ByteArrayContent Photo(string file) => ServerHarness.Raw(File.ReadAllBytes(DeepFacePhotos.PathOf(file)));

    private static long Requests(string text, string method, string status, string route) => Sum(text, new Regex(
        $"^http_server_request_duration_seconds_count\\{{[^}}]*http_request_method=\"{method}\",http_response_status_code=\"{status}\",http_route=\"{Regex.Escape(route)}\"[^}}]*\\}} (\\d+)$",
        RegexOptions.Multiline));

    private static async Task<bool> Pause()
    {
        await Task.Delay(100);
        return true;
    }

    private static long Sum(string text, Regex series) =>
        series.Matches(text).Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
}
