using System.Text.Json;
using IntelliFace.Models;
using IntelliFace.Server.Authentication;
using IntelliFace.Server.Documentation;
using IntelliFace.Server.Endpoints;
using IntelliFace.Server.Errors;
using IntelliFace.Server.Hosting;
using IntelliFace.Server.Logging;
using IntelliFace.Server.Photos;
using IntelliFace.Server.RateLimiting;
using IntelliFace.Server.Telemetry;
using IntelliFace.Tenancy;
using IntelliFace.Vault;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntelliFace.Server;

/// <summary>
/// The HTTP service: the tenant API and the operator API on two listeners, over the same application layer as the
/// CLI. The one entry point hosts and tests use.
/// </summary>
public static class IntelliFaceServer
{
    /// <summary>
    /// Starts the service on <paramref name="vault"/> and <paramref name="pack"/>, which the caller keeps owning (and
    /// disposes after the server). Returns once both listeners are bound.
    /// </summary>
    /// <exception cref="FaceException"><c>invalid_argument</c> for a bad option or an address that cannot be bound.</exception>
    public static async Task<RunningServer> StartAsync(ServerOptions options, TemplateVault vault, IModelPack pack, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(pack);
        options.Validate();
        var tenantAddress = ListenAddress.Parse(options.Listen, "tenant API");
        var operatorAddress = ListenAddress.Parse(options.OperatorListen, "operator API");

        var app = Build(options, vault, pack, tenantAddress, operatorAddress);
        try
        {
            await app.StartAsync(cancellation);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new FaceException(FaceErrorCode.InvalidArgument, $"Cannot listen on {options.Listen} and {options.OperatorListen}: {e.Message}", e);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var listeners = app.Services.GetRequiredService<ListenerMap>();
        return new RunningServer(app, ListenAddress.UrlOf(listeners.TenantEndPoint), ListenAddress.UrlOf(listeners.OperatorEndPoint));
    }

    private static WebApplication Build(ServerOptions options, TemplateVault vault, IModelPack pack, ListenAddress tenantAddress, ListenAddress operatorAddress)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(IntelliFaceServer).Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Configured in code only: no appsettings file or ASPNETCORE_ variable changes what the service does.
        builder.Configuration.Sources.Clear();

        var listeners = new ListenerMap();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Photo endpoints raise this for their own request (see PhotoRequest); every other body is a small document.
            kestrel.Limits.MaxRequestBodySize = BodyLimits.Document;
            ListenOptions? tenant = null, operatorApi = null;
            kestrel.Listen(tenantAddress.EndPoint, listen => tenant = listen);
            kestrel.Listen(operatorAddress.EndPoint, listen => operatorApi = listen);
            listeners.Attach(tenant!, operatorApi!);
        });

        var services = builder.Services;
        services.AddSingleton(listeners);
        services.AddSingleton(new ApplicationServices(vault, pack, options.BreakGlass, new PipelineSlots(options.PipelineSlots)));
        services.AddSingleton(new ApiKeyAuthenticator(vault));
        // The host that starts the server (the CLI, a test) decides when it stops, not the console's signals.
        services.AddSingleton<IHostLifetime, HostDecidesLifetime>();
        services.Configure<RouteHandlerOptions>(routing => routing.ThrowOnBadRequest = true);
        services.Configure<FormOptions>(form =>
        {
            // The service never reads forms through the framework; should anything do so, it stays in memory and bounded.
            form.MemoryBufferThreshold = BodyLimits.EncodedPhotos(2);
            form.MultipartBodyLengthLimit = BodyLimits.EncodedPhotos(2);
            form.BufferBodyLengthLimit = BodyLimits.EncodedPhotos(2);
            form.BufferBody = false;
        });
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            json.SerializerOptions.RespectNullableAnnotations = true;
            json.SerializerOptions.RespectRequiredConstructorParameters = true;
            json.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
            // {"tenant": "a", "tenant": "b"} is refused rather than read as whichever comes last, as photo bodies are.
            json.SerializerOptions.AllowDuplicateProperties = false;
        });

        ApiKeyRateLimits.Add(services, options);
        ApiDocumentation.Add(services);
        ServiceMetrics.Add(services);
        ConfigureLogging(builder.Logging, options);

        var app = builder.Build();
        app.UseMiddleware<RequestLog>();
        app.UseMiddleware<ErrorResponses>();
        app.Use(async (context, next) =>
        {
            if (listeners.Of(context.Connection) is not { } listener || !ListenerMap.Admits(listener, context.Request.Path))
            {
                await ProblemResponse.WriteAsync(context, FaceErrorCode.NotFound, null);
                return;
            }
            context.Response.Headers.XContentTypeOptions = "nosniff";
            // API answers hold biometric decisions, audit trails and once-shown secrets: no cache may keep them.
            if (BearerAuthentication.RoleFor(context.Request.Path) is not null) context.Response.Headers.CacheControl = "no-store";
            await next(context);
        });
        ApiDocumentation.Map(app);
        app.UseRouting();
        app.Use(PhotoRequest.RaiseLimitOfPhotoEndpoints);
        app.Use(BearerAuthentication.Identify);
        ApiKeyRateLimits.Use(app);
        app.Use(BearerAuthentication.Demand);

        ServiceEndpoints.Map(app);
        ServiceMetrics.Map(app);
        TenantEndpoints.Map(app);
        OperatorEndpoints.Map(app);
        return app;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, ServerOptions options)
    {
        logging.ClearProviders();
        logging.AddJsonConsole(console =>
        {
            console.IncludeScopes = false;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        });
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        options.ConfigureLogging?.Invoke(logging);
    }
}

/// <summary>Starts at once and leaves stopping to whoever started the server.</summary>
internal sealed class HostDecidesLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
