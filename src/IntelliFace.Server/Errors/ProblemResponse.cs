using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace IntelliFace.Server.Errors;

/// <summary>Writes an RFC 9457 <c>application/problem+json</c> answer: the one shape of every error.</summary>
internal static class ProblemResponse
{
    public const string ContentType = "application/problem+json";
    public const string TypePrefix = "urn:intelliface:error:";

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task WriteAsync(HttpContext context, FaceException error) => WriteAsync(context, error.Code, error.Message, error.Details);

    /// <param name="status">The status when it is not the code's own (a framework answer such as 408).</param>
    public static async Task WriteAsync(HttpContext context, string code, string? detail, IReadOnlyDictionary<string, object>? details = null, int? status = null)
    {
        var statusCode = status ?? ProblemCodes.StatusOf(code);
        var body = new JsonObject
        {
            ["type"] = TypePrefix + code,
            ["title"] = ProblemCodes.TitleOf(code),
            ["status"] = statusCode,
            ["detail"] = detail ?? ProblemCodes.DefaultDetailOf(code),
            // The path only: a query string may carry a PEM key or other data that has no place in an echo.
            ["instance"] = context.Request.PathBase.Add(context.Request.Path).ToUriComponent(),
            ["code"] = code,
        };
        foreach (var (name, value) in details ?? new Dictionary<string, object>())
            body[name] = JsonSerializer.SerializeToNode(value, value.GetType());
        body["trace_id"] = Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier;

        context.Response.StatusCode = statusCode;
        context.Response.ContentType = ContentType;
        context.Response.ContentLength = null;
        if (statusCode == StatusCodes.Status401Unauthorized) context.Response.Headers.WWWAuthenticate = "Bearer";
        await context.Response.WriteAsync(body.ToJsonString(JsonOptions), context.RequestAborted);
    }
}
