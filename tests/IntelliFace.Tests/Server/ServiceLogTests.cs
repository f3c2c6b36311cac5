using System.Collections.Concurrent;
using System.Net;
using System.Text;
using IntelliFace.Server;
using IntelliFace.Tests.EndToEnd;
using Microsoft.Extensions.Logging;

namespace IntelliFace.Tests.Server;

/// <summary>A service whose log lines are also kept in memory, formatted as the console would print them.</summary>
public sealed class LoggedServerFixture : ServerFixture
{
    public ConcurrentQueue<string> Lines { get; } = new();

    protected override ServerOptions Options => new() { ConfigureLogging = logging => logging.AddProvider(new CapturedLogs(Lines)) };

    private sealed class CapturedLogs(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capture(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class Capture(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{category} {logLevel} {formatter(state, exception)} {fields} {exception}");
        }
    }
}

/// <summary>The service's logs: one line per request, and never a key, an Authorization header, a photo or an embedding.</summary>
public sealed class ServiceLogTests(LoggedServerFixture fixture) : IClassFixture<LoggedServerFixture>
{
    private ServerHarness Server => fixture.Harness;

    [Fact]
    public async Task Requests_are_logged_by_route_and_caller_without_secrets_or_photo_data()
    {
        var photo = File.ReadAllBytes(DeepFacePhotos.PathOf("img1.jpg"));
        var base64 = Convert.ToBase64String(photo);
        using (var enroll = await Server.Tenant(HttpMethod.Post, "/v1/subjects/logged/templates", ServerHarness.Raw(photo), Server.TenantKey))
            Assert.Equal(HttpStatusCode.Created, enroll.StatusCode);
        using (var json = await Server.Tenant(HttpMethod.Post, "/v1/identify",
                   new StringContent($"{{\"photo\": \"data:image/jpeg;base64,{base64}\"}}", Encoding.UTF8, "application/json"), Server.TenantKey))
            Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var wrongKey = Server.TenantKey[..^4] + "AAAA";
        using (var refused = await Server.Tenant(HttpMethod.Get, "/v1/subjects", key: wrongKey))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        string created;
        using (var newKey = await Server.Operator(HttpMethod.Post, "/ops/v1/tenants/acme/apikeys",
                   new StringContent("{\"scopes\": [\"recognise\"]}", Encoding.UTF8, "application/json"), Server.OperatorKey))
        {
            Assert.Equal(HttpStatusCode.Created, newKey.StatusCode);
            Assert.Equal("no-store", newKey.Headers.CacheControl?.ToString());
            created = (await ServerHarness.JsonOf(newKey)).GetProperty("api_key").GetString()!;
        }
        using (var export = await Server.Tenant(HttpMethod.Get, "/v1/subjects/logged/export", key: Server.TenantKey))
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);

        var lines = fixture.Lines.ToArray();
        Assert.Contains(lines, l => l.Contains("POST /v1/subjects/{subject}/templates 201", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("POST /v1/identify 200", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("GET /v1/subjects 401", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("POST /ops/v1/tenants/{tenant}/apikeys 201 ", StringComparison.Ordinal) && l.Contains("operator:ada", StringComparison.Ordinal));

        var all = string.Join("\n", lines);
        foreach (var secret in new[] { Server.TenantKey, wrongKey, created, Server.OperatorKey })
        {
            Assert.DoesNotContain(secret, all);
            Assert.DoesNotContain(secret[^43..], all);
        }
        Assert.DoesNotContain("Bearer", all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("/v1/subjects/logged", all);
        for (var offset = 0; offset + 64 <= base64.Length; offset += 4096) Assert.DoesNotContain(base64.Substring(offset, 64), all);
    }
}
