using IntelliFace.Tests.EndToEnd;

namespace IntelliFace.Tests.Server;

/// <summary>One running service for a test class, on the installed default pack.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly DefaultPackFixture _pack = new();
    private ServerHarness? _harness;

    internal ServerHarness Harness => _harness ?? throw new InvalidOperationException("The server has not started.");

    internal DefaultPackFixture Pack => _pack;

    public async Task InitializeAsync() => _harness = await ServerHarness.StartAsync(_pack.Pack);

    public async Task DisposeAsync()
    {
        if (_harness is not null) await _harness.DisposeAsync();
        _pack.Dispose();
    }
}
