using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace IntelliFace.Bench.Http;

/// <summary>
/// <c>intelliface serve</c> as a child process on loopback, both listeners on a free port. Its output (the address
/// document, then one JSON log line per request) is read and dropped as it comes, so the service never blocks on a
/// full pipe. Stopped with SIGTERM, as an operator's service manager would.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private const string RateLimitVariable = "INTELLIFACE_RATE_LIMIT";
    private readonly Process _process;

    private ServeProcess(Process process, Uri tenantApi)
    {
        _process = process;
        TenantApi = tenantApi;
    }

    public Uri TenantApi { get; }

    public static async Task<ServeProcess> StartAsync(CliProgram cli, int rateLimitPerSecond, CancellationToken cancellation)
    {
        var start = cli.StartInfo(["serve", "--listen", "http://127.0.0.1:0", "--ops-listen", "http://127.0.0.1:0"],
            environment: new Dictionary<string, string> { [RateLimitVariable] = rateLimitPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) =>
        {
            if (!address.Task.IsCompleted && TenantApiOf(line.Data) is { } api) address.TrySetResult(api);
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text) errors.Enqueue(text);
        };
        process.Exited += (_, _) => address.TrySetException(
            new InvalidOperationException($"intelliface serve exited with {process.ExitCode}: {string.Join(" ", errors)}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = (ServeProcess?)null;
        try
        {
            server = new ServeProcess(process, await address.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellation));
            await server.WaitUntilReadyAsync(cancellation);
            return server;
        }
        catch
        {
            if (server is not null) await server.DisposeAsync();
            else await StopAsync(process);
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellation)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = TenantApi };
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            using var response = await client.GetAsync("readyz", cancellation);
            if (response.StatusCode == HttpStatusCode.OK) return;
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"intelliface serve is not ready after a minute: /readyz answers {(int)response.StatusCode}.");
            await Task.Delay(200, cancellation);
        }
    }

    private static Uri? TenantApiOf(string? line)
    {
        if (line is null || !line.StartsWith('{')) return null;
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("tenant_api", out var api) && api.GetString() is { } text ? new Uri(text) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            using (var terminate = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
                terminate?.WaitForExit();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }
        process.Dispose();
    }

    public ValueTask DisposeAsync() => new(StopAsync(_process));
}
