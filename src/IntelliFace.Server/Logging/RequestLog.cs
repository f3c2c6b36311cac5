using System.Diagnostics;
using IntelliFace.Server.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace IntelliFace.Server.Logging;

/// <summary>
/// One log line per request: method, route template (never the path with its ids, never the query), status,
/// duration, and who called (key id or operator name, tenant). Never a body, a header, or a key's secret.
/// </summary>
internal sealed partial class RequestLog(RequestDelegate next, ILogger<RequestLog> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var caller = context.Features.Get<CallerFeature>()?.Caller;
            Served(logger, context.Request.Method, (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)", context.Response.StatusCode,
                Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1), caller?.Actor ?? "anonymous", caller?.Tenant?.Value ?? "");
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Route} {Status} in {DurationMs} ms by {Actor} {Tenant}")]
    private static partial void Served(ILogger logger, string method, string route, int status, double durationMs, string actor, string tenant);
}
