using IntelliFace.Recognition;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace IntelliFace.Server.Telemetry;

/// <summary>
/// Metrics through OpenTelemetry, scraped as Prometheus text at <c>/metrics</c> on the operator listener: ASP.NET
/// Core's request counts and durations per route and status (<c>http_server_request_duration_seconds</c>), the rate
/// limiter's, and the pipeline's stage durations per model pack (<see cref="PipelineMetrics"/>). Labels carry routes,
/// never paths with ids, and nothing of tenants' data.
/// </summary>
internal static class ServiceMetrics
{
    public const string ScrapePath = "/metrics";

    public static void Add(IServiceCollection services) =>
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddMeter("Microsoft.AspNetCore.RateLimiting")
            .AddMeter(PipelineMetrics.MeterName)
            .AddPrometheusExporter());

    public static void Map(WebApplication app) => app.MapPrometheusScrapingEndpoint(ScrapePath);
}
