using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace IntelliFace.Client;

/// <summary>
/// Sends requests to one listener with one API key and turns answers into documents or
/// <see cref="IntelliFaceApiException"/>. Holds no mutable state: safe for concurrent requests.
/// </summary>
internal sealed class ApiChannel
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>Bodies larger than this ask before they are sent (as curl does).</summary>
    private const long AskFirstAbove = 1024 * 1024;

    private static readonly HashSet<string> ProblemMembers = ["type", "title", "status", "detail", "instance", "code", "trace_id"];

    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly string _apiKey;

    public ApiChannel(HttpClient http, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is not { IsAbsoluteUri: true } baseAddress)
            throw new ArgumentException("The HttpClient needs a BaseAddress: the listener of the API (for example http://127.0.0.1:8080/).", nameof(http));
        // The message names the rule only, never the key.
        if (string.IsNullOrWhiteSpace(apiKey) || apiKey.Any(c => c <= ' ' || c > '~'))
            throw new ArgumentException("An API key is a non-empty string of printable ASCII without spaces.", nameof(apiKey));
        _http = http;
        _base = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _apiKey = apiKey;
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>The answer's document and its <c>Location</c> header (on 201).</summary>
    public async Task<(T Document, Uri? Location)> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(method, path, content, authenticate: true, cancellationToken).ConfigureAwait(false);
        var document = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException($"The service answered {method} {path} with an empty document.");
        return (document, response.Headers.Location);
    }

    public async Task<T> GetDocumentAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken) =>
        (await SendAsync<T>(method, path, content, cancellationToken).ConfigureAwait(false)).Document;

    /// <summary>A request whose answer carries nothing the caller needs (204, or a confirmation).</summary>
    public async Task SendWithoutResultAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(method, path, content, authenticate: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Any request with the key; the document of the answer, or null when it has no body.</summary>
    public async Task<JsonElement?> SendAnyAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var response = await SendCoreAsync(method, path.TrimStart('/'), content, authenticate: true, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return body.Length == 0 ? null : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary><c>/healthz</c> and <c>/readyz</c>: no key is sent.</summary>
    public async Task<ServiceStatus> StatusAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(HttpMethod.Get, path, null, authenticate: false, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<ServiceStatus>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException($"The service answered {path} with an empty document.");
    }

    public static string Escape(string id, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(id, what);
        return Uri.EscapeDataString(id);
    }

    public static JsonContent Document<T>(T body) => JsonContent.Create(body, options: Json);

    private async Task<HttpResponseMessage> SendCoreAsync(HttpMethod method, string path, HttpContent? content, bool authenticate, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, path)) { Content = content };
        if (authenticate) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        // The service refuses a bad key, scope or query before it reads the body: asking first spares sending a large
        // photo for nothing (and works with servers in front of it that close the connection on an unread body).
        if (content is not null && (content.Headers.ContentLength ?? long.MaxValue) > AskFirstAbove) request.Headers.ExpectContinue = true;
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response)
            throw await RefusalOf(response, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IntelliFaceApiException> RefusalOf(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => (TimeSpan?)null,
        };
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var mediaType = response.Content.Headers.ContentType?.MediaType;

        if (ProblemOf(body, mediaType) is { } problem)
        {
            string? Text(string name) => problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            var code = Text("code");
            var detail = Text("detail");
            var extensions = problem.EnumerateObject().Where(p => !ProblemMembers.Contains(p.Name)).ToDictionary(p => p.Name, p => p.Value.Clone());
            return new IntelliFaceApiException(status, code, Text("title"), detail, Text("trace_id"), Text("instance"), retryAfter, extensions,
                $"{(int)status} {code ?? Text("title") ?? response.ReasonPhrase}: {detail ?? "no detail given"}");
        }

        var what = body.Length == 0 ? "an empty body" : $"a {mediaType ?? "untyped"} body instead of {ProblemJson}";
        var excerpt = body.Length == 0 ? "" : $": {Excerpt(body)}";
        return new IntelliFaceApiException(status, null, null, null, null, null, retryAfter, new Dictionary<string, JsonElement>(),
            $"The service answered {(int)status} {response.ReasonPhrase} with {what}{excerpt}");
    }

    private static JsonElement? ProblemOf(string body, string? mediaType)
    {
        if (mediaType is not (ProblemJson or "application/json") || body.Length == 0) return null;
        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            return root.ValueKind == JsonValueKind.Object ? root.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The start of a foreign error body, on one line, for the message.</summary>
    private static string Excerpt(string body)
    {
        var text = new StringBuilder(Math.Min(body.Length, 200));
        foreach (var c in body.AsSpan(0, Math.Min(body.Length, 200))) text.Append(char.IsControl(c) ? ' ' : c);
        return body.Length > 200 ? text.Append('…').ToString() : text.ToString();
    }
}
