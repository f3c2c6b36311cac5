using System.Net;
using System.Text.RegularExpressions;
using IntelliFace.Tests.EndToEnd;

namespace IntelliFace.Tests.Server;

/// <summary><c>/metrics</c>: Prometheus text on the operator listener, request counts per route and stage durations per pack.</summary>
public sealed partial class MetricsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerHarness Server => fixture.Harness;

    [Fact]
    public async Task A_verify_is_counted_under_its_route_and_its_stages_under_the_pack()
    {
        var subject = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        using (var enroll = await Server.Tenant(HttpMethod.Post, $"/v1/subjects/{subject}/templates",
                   ServerHarness.Raw(File.ReadAllBytes(DeepFacePhotos.PathOf("img1.jpg"))), Server.TenantKey))
            Assert.Equal(HttpStatusCode.Created, enroll.StatusCode);
        var before = CountOf(await Scrape(), VerifyCount());

        using (var verify = await Server.Tenant(HttpMethod.Post, $"/v1/subjects/{subject}/verify",
                   ServerHarness.Raw(File.ReadAllBytes(DeepFacePhotos.PathOf("img2.jpg"))), Server.TenantKey))
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);

        // The request's own measurement is recorded when its answer is complete, a moment after the client has it.
        string text;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do text = await Scrape();
        while (CountOf(text, VerifyCount()) < before + 1 && DateTime.UtcNow < deadline && await Pause());
        // At least: ASP.NET Core's meters are process-wide by name, so other services of the test run add to the count.
        Assert.True(CountOf(text, VerifyCount()) >= before + 1, $"verify count stayed at {before}");

        var pack = Regex.Escape(fixture.Pack.Pack.Id.Value);
        foreach (var stage in new[] { "decode", "detect", "embed", "gallery", "match", "seal" })
        {
            var count = new Regex($"^intelliface_pipeline_stage_duration_seconds_count\\{{[^}}]*pack=\"{pack}\",stage=\"{stage}\"[^}}]*\\}} (\\d+)", RegexOptions.Multiline);
            Assert.True(CountOf(text, count) >= 1, $"no measurement of stage {stage}");
        }
        Assert.DoesNotContain(subject, text);
    }

    [Fact]
    public async Task The_tenant_listener_does_not_serve_metrics()
    {
        using var response = await Server.Tenant(HttpMethod.Get, "/metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<string> Scrape()
    {
        using var response = await Server.Operator(HttpMethod.Get, "/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(100);
        return true;
    }

    private static long CountOf(string text, Regex series) =>
        series.Matches(text).Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex("""^http_server_request_duration_seconds_count\{[^}]*http_response_status_code="200",http_route="/v1/subjects/\{subject\}/verify"[^}]*\} (\d+)""", RegexOptions.Multiline)]
    private static partial Regex VerifyCount();
}
