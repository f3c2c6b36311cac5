using IntelliFace.Tenancy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IntelliFace.Server.Authentication;

/// <summary>Who sent a request to an API path: the caller its key stands for, or why the key was refused.</summary>
internal sealed record CallerFeature(Caller? Caller, FaceException? Refusal);

/// <summary>
/// <c>Authorization: Bearer &lt;api key&gt;</c> on <c>/v1</c> (tenant keys) and <c>/ops/v1</c> (operator keys). Runs in two
/// steps around the rate limiter: <see cref="Identify"/> finds the caller (so the limiter can count per key, and
/// refused keys per address), <see cref="Demand"/> then refuses what may not pass.
/// </summary>
internal static class BearerAuthentication
{
    private const string Scheme = "Bearer ";

    public static Caller Caller(this HttpContext context) =>
        context.Features.Get<CallerFeature>()?.Caller ?? throw new InvalidOperationException("The request was not authenticated.");

    public static async Task Identify(HttpContext context, RequestDelegate next)
    {
        if (RoleFor(context.Request.Path) is not null)
        {
            var authenticator = context.RequestServices.GetRequiredService<ApiKeyAuthenticator>();
            context.Features.Set(Authenticate(authenticator, context.Request.Headers.Authorization.ToString()));
        }
        await next(context);
    }

    public static async Task Demand(HttpContext context, RequestDelegate next)
    {
        if (RoleFor(context.Request.Path) is { } role)
        {
            var feature = context.Features.Get<CallerFeature>()!;
            if (feature.Refusal is { } refusal) throw refusal;
            if (feature.Caller!.Role != role)
            {
                throw new FaceException(FaceErrorCode.Forbidden, role == CallerRole.Tenant
                    ? "The tenant API takes tenant API keys; operator keys are for the operator API."
                    : "The operator API takes operator keys; tenant API keys are for the tenant API.");
            }
        }
        await next(context);
    }

    /// <summary>The kind of key a path takes, or null for paths without authentication (health, docs, metrics).</summary>
    public static CallerRole? RoleFor(PathString path) =>
        path.StartsWithSegments("/v1") ? CallerRole.Tenant : path.StartsWithSegments("/ops/v1") ? CallerRole.Operator : null;

    private static CallerFeature Authenticate(ApiKeyAuthenticator authenticator, string header)
    {
        try
        {
            if (header.Length == 0)
                throw new FaceException(FaceErrorCode.Unauthorized, "An API key is required: Authorization: Bearer <key>.");
            if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
                throw new FaceException(FaceErrorCode.Unauthorized, "The Authorization header must be 'Bearer <api key>'.");
            return new CallerFeature(authenticator.Authenticate(header[Scheme.Length..]), null);
        }
        catch (FaceException e)
        {
            return new CallerFeature(null, e);
        }
    }
}
