using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using IntelliFace.Client;
using IntelliFace.Server;
using IntelliFace.Tests.EndToEnd;

namespace IntelliFace.Tests.Server;

/// <summary>
/// One running service for a test class, reached through the typed client over loopback: tenant clients for
/// <c>acme</c> (all scopes, enroll only) and <c>globex</c>, operator clients for ada and bob. Every answer passes a
/// <see cref="ResponseRecorder"/>, so tests can check the status and headers the client does not return.
/// </summary>
public sealed class ClientFixture : IAsyncLifetime
{
    // Far above what the tests send, so a rate limit never answers for the service under test.
    private static readonly ServerOptions Options = new() { RateLimitPerSecond = 10_000 };

    private readonly FaceApiPackFixture _pack = new();
    private readonly ConcurrentDictionary<string, Lazy<Task>> _once = new();
    private ServerHarness? _harness;

    internal ServerHarness Harness => _harness ?? throw new InvalidOperationException("The server has not started.");

    internal FaceApiPackFixture Pack => _pack;

    internal ResponseRecorder Recorder { get; } = new();

    internal HttpClient TenantHttp { get; private set; } = null!;

    internal HttpClient OperatorHttp { get; private set; } = null!;

    internal IntelliFaceClient Acme { get; private set; } = null!;

    internal IntelliFaceClient AcmeEnrollOnly { get; private set; } = null!;

    internal IntelliFaceClient Globex { get; private set; } = null!;

    internal IntelliFaceOperatorClient Ada { get; private set; } = null!;

    internal IntelliFaceOperatorClient Bob { get; private set; } = null!;

    /// <summary>The default pack's id and calibrated threshold, as the service reports them.</summary>
    internal string PackId => _pack.Pack.Id.Value;

    internal double Threshold => _pack.Manifest.Threshold.Cosine;

    public async Task InitializeAsync()
    {
        _harness = await ServerHarness.StartAsync(_pack.Pack, Options);
        TenantHttp = new HttpClient(Recorder.Wrapping(new SocketsHttpHandler())) { BaseAddress = _harness.Server.TenantApi, Timeout = TimeSpan.FromMinutes(2) };
        OperatorHttp = new HttpClient(Recorder.Wrapping(new SocketsHttpHandler())) { BaseAddress = _harness.Server.OperatorApi, Timeout = TimeSpan.FromMinutes(2) };
        Acme = Tenant(_harness.TenantKey);
        AcmeEnrollOnly = Tenant(_harness.EnrollOnlyKey);
        Globex = Tenant(_harness.GlobexKey);
        Ada = new IntelliFaceOperatorClient(OperatorHttp, _harness.OperatorKey);
        Bob = new IntelliFaceOperatorClient(OperatorHttp, _harness.SecondOperatorKey);
    }

    /// <summary>A tenant client over the tenant listener with <paramref name="key"/>.</summary>
    internal IntelliFaceClient Tenant(string key, PhotoEncoding encoding = PhotoEncoding.Raw) =>
        new(TenantHttp, new IntelliFaceClientOptions(key) { PhotoEncoding = encoding });

    /// <summary>A new tenant with an all-scope key, through the operator API; its client.</summary>
    internal async Task<IntelliFaceClient> NewTenantAsync(string tenant, bool consentRequired = false, int? retentionDays = null)
    {
        await Ada.CreateTenantAsync(tenant, consentRequired, retentionDays);
        var key = await Ada.CreateApiKeyAsync(tenant, [ApiKeyScopes.Enroll, ApiKeyScopes.Recognise, ApiKeyScopes.ManageSubjects, ApiKeyScopes.ReadAudit]);
        return Tenant(key.ApiKey);
    }

    /// <summary>Runs <paramref name="setup"/> once for this server, however many tests ask (data the tests of a class share).</summary>
    internal Task OnceAsync(string name, Func<Task> setup) => _once.GetOrAdd(name, _ => new Lazy<Task>(setup)).Value;

    /// <summary>A DeepFace photo.</summary>
    internal static PhotoContent Photo(string file) => PhotoContent.FromBytes(File.ReadAllBytes(DeepFacePhotos.PathOf(file)));

    /// <summary>A photo of <c>faces/hard</c>: <c>derived/...</c> or <c>public/...</c>.</summary>
    internal static PhotoContent Hard(string file) => PhotoContent.FromBytes(File.ReadAllBytes(SharedData.PathOf(["faces", "hard", .. file.Split('/')])));

    /// <summary>Asserts that <paramref name="call"/> is refused with <paramref name="status"/> and <paramref name="code"/>,
    /// with the problem document's members filled in.</summary>
    internal static async Task<IntelliFaceApiException> Refusal(Func<Task> call, HttpStatusCode status, string code)
    {
        var refusal = await Assert.ThrowsAsync<IntelliFaceApiException>(call);
        Assert.True(status == refusal.Status && code == refusal.Code, $"expected {(int)status} {code}, got {(int)refusal.Status} {refusal.Code}: {refusal.Message}");
        Assert.False(string.IsNullOrWhiteSpace(refusal.Title));
        Assert.False(string.IsNullOrWhiteSpace(refusal.Detail));
        Assert.False(string.IsNullOrWhiteSpace(refusal.TraceId));
        Assert.StartsWith("/", refusal.Instance);
        Assert.Contains(code, refusal.Message, StringComparison.Ordinal);
        return refusal;
    }

    public async Task DisposeAsync()
    {
        TenantHttp?.Dispose();
        OperatorHttp?.Dispose();
        if (_harness is not null) await _harness.DisposeAsync();
        _pack.Dispose();
    }
}

/// <summary>What the last answer through the client's <see cref="HttpClient"/> was: its status, headers and body.</summary>
internal sealed class ResponseRecorder
{
    private readonly Lock _lock = new();
    private RecordedResponse? _last;

    public RecordedResponse Last
    {
        get
        {
            lock (_lock) return _last ?? throw new InvalidOperationException("No answer yet.");
        }
    }

    public HttpMessageHandler Wrapping(HttpMessageHandler inner) => new Handler(this) { InnerHandler = inner };

    /// <summary>Asserts the last answer's document has exactly the members of <typeparamref name="T"/>'s JSON form, no more.</summary>
    public T AssertMapsEveryMember<T>()
    {
        var strict = new JsonSerializerOptions(ApiChannel.Json) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };
        return JsonSerializer.Deserialize<T>(Last.Body, strict)!;
    }

    private sealed class Handler(ResponseRecorder recorder) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            lock (recorder._lock)
                recorder._last = new RecordedResponse(request.Method, request.RequestUri!.PathAndQuery, response.StatusCode, response.Headers.Location, response.Content.Headers.ContentType?.MediaType, response.Headers.CacheControl?.ToString(), body);
            return response;
        }
    }
}

internal sealed record RecordedResponse(HttpMethod Method, string Path, HttpStatusCode Status, Uri? Location, string? ContentType, string? CacheControl, string Body);
