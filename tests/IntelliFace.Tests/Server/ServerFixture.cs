using IntelliFace.Server;
using IntelliFace.Tests.EndToEnd;

namespace IntelliFace.Tests.Server;

/// <summary>One running service for a test class, on the installed default pack.</summary>
public class ServerFixture : IAsyncLifetime
{
    private readonly FaceApiPackFixture _pack = new();
    private ServerHarness? _harness;

    internal ServerHarness Harness => _harness ?? throw new InvalidOperationException("The server has not started.");

    internal FaceApiPackFixture Pack => _pack;

    /// <summary>How the service runs: the defaults unless a fixture says otherwise.</summary>
    protected virtual ServerOptions Options => new();

    public async Task InitializeAsync()
    {
        _harness = await ServerHarness.StartAsync(_pack.Pack, Options);
        await PrepareAsync(_harness);
    }

    /// <summary>What the tests of the class expect to find once the service runs.</summary>
    private protected virtual Task PrepareAsync(ServerHarness harness) => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_harness is not null) await _harness.DisposeAsync();
        _pack.Dispose();
    }
}

/// <summary>A service whose per-key rate limit no burst of requests reaches, with subject <c>hostile</c> enrolled (so
/// that a verify gets as far as reading its photo).</summary>
public sealed class HostileServerFixture : ServerFixture
{
    public const string Subject = "hostile";

    protected override ServerOptions Options => new() { RateLimitPerSecond = 100_000 };

    private protected override async Task PrepareAsync(ServerHarness harness)
    {
        var photo = await File.ReadAllBytesAsync(DeepFacePhotos.PathOf("img1.jpg"));
        using var enrolled = await harness.Tenant(HttpMethod.Post, $"/v1/subjects/{Subject}/templates", ServerHarness.Raw(photo), harness.TenantKey);
        if (enrolled.StatusCode != System.Net.HttpStatusCode.Created)
            throw new InvalidOperationException($"Enrolling {Subject} answered {(int)enrolled.StatusCode}: {await enrolled.Content.ReadAsStringAsync()}");
    }
}
