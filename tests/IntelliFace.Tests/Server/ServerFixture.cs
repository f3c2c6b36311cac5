using IntelliFace.Tests.EndToEnd;

namespace IntelliFace.Tests.Server;

/// <summary>One running service for a test class, on the installed default pack.</summary>
public class ServerFixture : IAsyncLifetime
{
    private readonly DefaultPackFixture _pack = new();
    private ServerHarness? _harness;

    internal ServerHarness Harness => _harness ?? throw new InvalidOperationException("The server has not started.");

    internal DefaultPackFixture Pack => _pack;

    /// <summary>The options the service starts with; null for the defaults.</summary>
    protected virtual IntelliFace.Server.ServerOptions? Options => null;

    public async Task InitializeAsync() => _harness = await ServerHarness.StartAsync(_pack.Pack, Options);

    public async Task DisposeAsync()
    {
        if (_harness is not null) await _harness.DisposeAsync();
        _pack.Dispose();
    }
}
