using System.Net;
using System.Text.Json;

namespace IntelliFace.Client;

/// <summary>
/// The service refused a request or failed: any answer outside 2xx. For the service's own answers
/// (<c>application/problem+json</c>, RFC 9457) <see cref="Code"/> says why, for example <c>no_face</c> or
/// <c>unknown_subject</c>; the codes are listed in the HTTP API contract. The message never holds the API key.
/// </summary>
public sealed class IntelliFaceApiException : Exception
{
    internal IntelliFaceApiException(
        HttpStatusCode status, string? code, string? title, string? detail, string? traceId, string? instance, TimeSpan? retryAfter,
        IReadOnlyDictionary<string, JsonElement> extensions, string message)
        : base(message)
    {
        Status = status;
        Code = code;
        Title = title;
        Detail = detail;
        TraceId = traceId;
        Instance = instance;
        RetryAfter = retryAfter;
        Extensions = extensions;
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The contract's error code (<c>multiple_faces</c>, <c>forbidden</c>...), or null when the body was no
    /// problem document (a proxy's error page, for example).</summary>
    public string? Code { get; }

    /// <summary>A short human-readable summary of the code, for example "Multiple faces".</summary>
    public string? Title { get; }

    /// <summary>What went wrong with this request, in a sentence.</summary>
    public string? Detail { get; }

    /// <summary>The service's trace id of the request: quote it when reporting a problem.</summary>
    public string? TraceId { get; }

    /// <summary>The path of the refused request (without its query).</summary>
    public string? Instance { get; }

    /// <summary>For <c>rate_limited</c> (429) and 503: how long to wait before retrying, from <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The problem document's other members, for example <c>faces</c> (the number of faces found) for
    /// <c>multiple_faces</c>. Empty when there are none.</summary>
    public IReadOnlyDictionary<string, JsonElement> Extensions { get; }
}
