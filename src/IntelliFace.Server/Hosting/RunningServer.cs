using Microsoft.AspNetCore.Builder;

namespace IntelliFace.Server.Hosting;

/// <summary>A started service: where its listeners are bound, and how to stop it. Does not own the vault or the pack.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    internal RunningServer(WebApplication app, Uri tenantApi, Uri operatorApi)
    {
        _app = app;
        TenantApi = tenantApi;
        OperatorApi = operatorApi;
    }

    /// <summary>The tenant API's base address, with the bound port (for example <c>http://127.0.0.1:8080/</c>).</summary>
    public Uri TenantApi { get; }

    /// <summary>The operator API's base address, with the bound port.</summary>
    public Uri OperatorApi { get; }

    /// <summary>The service's own services, for tests that check how it is configured.</summary>
    internal IServiceProvider Services => _app.Services;

    /// <summary>Stops taking connections and lets requests in flight finish (until <paramref name="cancellation"/>).</summary>
    public Task StopAsync(CancellationToken cancellation = default) => _app.StopAsync(cancellation);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
