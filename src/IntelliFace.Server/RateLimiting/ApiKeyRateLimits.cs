using System.Globalization;
using System.Threading.RateLimiting;
using IntelliFace.Server.Authentication;
using IntelliFace.Server.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace IntelliFace.Server.RateLimiting;

/// <summary>
/// A token bucket per API key on the API paths (<c>/v1</c>, <c>/ops/v1</c>): <see cref="ServerOptions.RateLimitPerSecond"/>
/// requests a second, bursts up to <see cref="ServerOptions.RateLimitBurst"/>. Requests whose key was refused share
/// one bucket per client address, so guessing keys is throttled too. Health, readiness, the API page and metrics are
/// not limited. A refused request gets 429 <c>rate_limited</c> with <c>Retry-After</c> in whole seconds.
/// </summary>
internal static class ApiKeyRateLimits
{
    // Refill every 50 ms at most: smooth enough for a human-sized rate, few timer ticks for a large one.
    private static readonly TimeSpan ShortestRefill = TimeSpan.FromMilliseconds(50);

    public static void Add(IServiceCollection services, ServerOptions options)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => PartitionOf(context) is { } partition
                ? RateLimitPartition.GetTokenBucketLimiter(partition, _ => BucketOf(options))
                : RateLimitPartition.GetNoLimiter(""));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (rejected, _) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                rejected.HttpContext.Response.Headers.CacheControl = "no-store";
                await ProblemResponse.WriteAsync(rejected.HttpContext, FaceErrorCode.RateLimited,
                    $"This API key may send {options.RateLimitPerSecond} requests a second (bursts of {options.RateLimitBurst}); retry in {seconds} s.",
                    new Dictionary<string, object> { ["retry_after_seconds"] = seconds });
            };
        });
    }

    public static void Use(IApplicationBuilder app) => app.UseRateLimiter();

    /// <summary>The bucket a request draws from, or null for paths that are not limited.</summary>
    internal static string? PartitionOf(HttpContext context)
    {
        if (BearerAuthentication.RoleFor(context.Request.Path) is null) return null;
        return context.Features.Get<CallerFeature>()?.Caller is { } caller
            ? "caller:" + caller.Actor
            : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    internal static TokenBucketRateLimiterOptions BucketOf(ServerOptions options)
    {
        var tokensPerRefill = Math.Max(1, (int)Math.Ceiling(options.RateLimitPerSecond * ShortestRefill.TotalSeconds));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.RateLimitBurst,
            TokensPerPeriod = tokensPerRefill,
            ReplenishmentPeriod = TimeSpan.FromSeconds((double)tokensPerRefill / options.RateLimitPerSecond),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}
