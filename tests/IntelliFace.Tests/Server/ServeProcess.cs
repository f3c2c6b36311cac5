using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using IntelliFace.Tests.EndToEnd;

namespace IntelliFace.Tests.Server;

/// <summary>The shipped host: <c>intelliface serve</c> as a child process, its output collected line by line.</summary>
internal sealed class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _stdout = [];
    private readonly ConcurrentQueue<string> _allStdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private ServeProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null) return;
            _allStdout.Enqueue(line.Data);
            _stdout.Add(line.Data);
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null) _stderr.Enqueue(line.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The process id, which names the runtime's diagnostic pipes in the temp folder.</summary>
    public int Id => _process.Id;

    public Uri TenantApi { get; private set; } = null!;

    public Uri OperatorApi { get; private set; } = null!;

    public string Stdout => string.Join('\n', _allStdout);

    public string Stderr => string.Join('\n', _stderr);

    /// <summary>Starts <c>serve --json</c> on free ports and waits for the line naming the bound addresses.</summary>
    public static ServeProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var process = Process.Start(CliProcess.StartInfo(environment,
            ["serve", "--listen", "http://127.0.0.1:0", "--ops-listen", "http://127.0.0.1:0", "--json", .. arguments]))!;
        var serve = new ServeProcess(process);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (!serve._stdout.TryTake(out var line, TimeSpan.FromSeconds(1)))
            {
                if (process.HasExited) break;
                continue;
            }
            if (!line.Contains("\"tenant_api\"", StringComparison.Ordinal)) continue;
            var addresses = JsonDocument.Parse(line).RootElement;
            serve.TenantApi = new Uri(addresses.GetProperty("tenant_api").GetString()!);
            serve.OperatorApi = new Uri(addresses.GetProperty("operator_api").GetString()!);
            return serve;
        }

        serve.Dispose();
        throw new InvalidOperationException($"intelliface serve did not report its addresses. stdout: {serve.Stdout} stderr: {serve.Stderr}");
    }

    /// <summary>Sends SIGTERM, as a service manager does, and returns the exit code.</summary>
    public int Terminate()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30))) throw new TimeoutException("intelliface serve did not stop within 30 s of SIGTERM.");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        _stdout.Dispose();
    }
}
