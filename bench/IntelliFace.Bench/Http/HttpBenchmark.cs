using System.Diagnostics;
using IntelliFace.Bench.Report;
using IntelliFace.Bench.Stages;
using IntelliFace.Recognition;

namespace IntelliFace.Bench.Http;

/// <param name="WarmUpSeconds">Per (operation, clients) cell, before the measured window.</param>
/// <param name="InProcessCalls">Timed pairs of an in-process call and an HTTP request per operation, after <see cref="InProcessWarmUpCalls"/> untimed ones.</param>
/// <param name="CliRuns">Timed CLI processes per operation, after 1 untimed one.</param>
/// <param name="ExtraGallery">LFW people enrolled besides the DeepFace ones, to give identify a larger gallery.</param>
internal sealed record HttpBenchOptions(
    int WarmUpSeconds = 3, int MeasuredSeconds = 15, int InProcessCalls = 26, int CliRuns = 10, int ExtraGallery = 87)
{
    public static readonly int[] ClientCounts = [1, 8, 32];

    /// <summary>Requests per operation before its first cell: more than the 30 calls after which .NET recompiles a
    /// method optimised, so the 1-client cell does not measure a service still running its first-tier code.</summary>
    public const int ServiceWarmUpRequests = 40;

    /// <summary>Untimed pairs of an in-process call and an HTTP request before the timed ones; the enrollments before
    /// them ran the same pipeline in this process, the warm-up requests in the service.</summary>
    public const int InProcessWarmUpCalls = 10;

    /// <summary>Requests per second per key for the service: far above what 2 cores can serve, so it never answers 429.</summary>
    public const int RateLimitPerSecond = 100_000;
}

/// <summary>Medians of one request made one at a time: through the application layer in this process, over HTTP, and
/// as a CLI process.</summary>
/// <param name="HttpExtraMs">Median over the back-to-back pairs of the HTTP request's time minus the in-process call's.</param>
internal sealed record PathMedians(RecognitionCall Operation, double InProcessMs, double HttpMs, double HttpExtraMs, double CliProcessMs);

internal sealed record HttpBenchResult(
    HttpBenchOptions Options, string Pack, int GallerySubjects, int Probes, long SmallestProbeBytes, long LargestProbeBytes,
    IReadOnlyList<LoadCell> Cells, IReadOnlyList<PathMedians> Paths, TimeSpan Duration, string LoadAtStart, string LoadAtEnd)
{
    public LoadCell Cell(RecognitionCall operation, int clients) => Cells.Single(c => c.Operation == operation && c.Clients == clients);

    public PathMedians PathsOf(RecognitionCall operation) => Paths.Single(p => p.Operation == operation);
}

/// <summary>
/// Verify and identify three ways on one throw-away SQLite vault: over HTTP to <c>intelliface serve</c> in its own
/// process (1, 8 and 32 closed-loop clients), through the application layer in this process
/// (<see cref="FaceRecognitionService"/>, no HTTP), and as one <c>intelliface verify</c>/<c>identify</c> process per
/// request. The vault, its master key file and the sealed templates of the gallery live in a temporary folder that
/// is deleted at the end; all traffic goes to 127.0.0.1. The two operations take turns at each client count, and
/// in-process calls alternate with HTTP requests, so that both sides of each comparison meet the same background load.
/// </summary>
internal static class HttpBenchmark
{
    public static async Task<HttpBenchResult> RunAsync(HttpBenchOptions options, TextWriter progress, CancellationToken cancellation)
    {
        var loadAtStart = MachineInfo.LoadAverage();
        var duration = Stopwatch.StartNew();
        var folder = Directory.CreateTempSubdirectory("intelliface-bench-http-");
        try
        {
            // The key file sits beside the data folder, not in it, as the CLI asks of operators.
            var data = Path.Combine(folder.FullName, "data");
            var keyFile = Path.Combine(folder.FullName, "master.key");
            var cli = CliProgram.Locate(data, keyFile);
            using var people = BenchPeople.Load(options.ExtraGallery);
            var operations = Enum.GetValues<RecognitionCall>();
            var cells = new List<LoadCell>();
            var sequential = new Dictionary<RecognitionCall, (double InProcessMs, double HttpMs, double HttpExtraMs)>();
            int gallery;
            using (var tenant = BenchTenant.SetUp(data, keyFile, people, progress))
            {
                gallery = tenant.GallerySize;
                await using var server = await ServeProcess.StartAsync(cli, HttpBenchOptions.RateLimitPerSecond, cancellation);
                progress.WriteLine($"http: intelliface serve on {server.TenantApi}");
                foreach (var operation in operations)
                {
                    await LoadGenerator.WarmUpAsync(server.TenantApi, tenant.ApiKey, operation, people.Probes, clients: 2, HttpBenchOptions.ServiceWarmUpRequests, cancellation);
                    sequential[operation] = await InProcessAndHttpAsync(server.TenantApi, tenant, operation, people.Probes, options.InProcessCalls, cancellation);
                    var (local, remote, extra) = sequential[operation];
                    progress.WriteLine($"http: {operation}: in-process {local:F1} ms, HTTP {remote:F1} ms, HTTP extra {extra:F1} ms (medians of {options.InProcessCalls} pairs)");
                }

                foreach (var clients in HttpBenchOptions.ClientCounts)
                {
                    foreach (var operation in operations)
                    {
                        var cell = await LoadGenerator.RunAsync(server.TenantApi, tenant.ApiKey, operation, people.Probes, clients,
                            TimeSpan.FromSeconds(options.WarmUpSeconds), TimeSpan.FromSeconds(options.MeasuredSeconds), cancellation);
                        progress.WriteLine($"http: {operation} x {clients}: {cell.Requests} requests, {cell.RequestsPerSecond:F2} req/s, p50 {cell.P50Ms:F1} ms, p99 {cell.P99Ms:F1} ms, {cell.Errors} errors (load {MachineInfo.LoadAverage()})");
                        if (cell.Errors > 0)
                            throw new InvalidOperationException($"http: {operation} with {clients} clients had {cell.Errors} failed requests; the numbers are not valid. First: {string.Join(" | ", cell.FirstErrors)}");
                        cells.Add(cell);
                    }
                }

                var paths = operations
                    .Select(operation => new PathMedians(operation, sequential[operation].InProcessMs, sequential[operation].HttpMs, sequential[operation].HttpExtraMs,
                        CliMedian(cli, tenant.ApiKey, operation, people.Probes, options.CliRuns, progress)))
                    .ToArray();
                return new HttpBenchResult(options, tenant.PackId, gallery, people.Probes.Count, people.Probes.Min(p => p.Bytes.LongLength),
                    people.Probes.Max(p => p.Bytes.LongLength), cells.OrderBy(c => c.Operation).ThenBy(c => c.Clients).ToArray(), paths,
                    duration.Elapsed, loadAtStart, MachineInfo.LoadAverage());
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>One in-process call and one HTTP request (one connection, nothing else in flight), back to back, per probe
    /// in turn; <see cref="HttpBenchOptions.InProcessWarmUpCalls"/> untimed pairs first. Medians of each side.</summary>
    private static async Task<(double InProcessMs, double HttpMs, double HttpExtraMs)> InProcessAndHttpAsync(Uri api, BenchTenant tenant, RecognitionCall operation,
        IReadOnlyList<PersonPhoto> probes, int pairs, CancellationToken cancellation)
    {
        using var http = LoadGenerator.Client(api, tenant.ApiKey);
        var inProcess = new List<double>();
        var overHttp = new List<double>();
        for (var i = -HttpBenchOptions.InProcessWarmUpCalls; i < pairs; i++)
        {
            var probe = probes[(i + probes.Count * HttpBenchOptions.InProcessWarmUpCalls) % probes.Count];
            async Task<double> OverHttp()
            {
                var started = Stopwatch.GetTimestamp();
                if (await LoadGenerator.SendAsync(http, operation, probe, cancellation) is { } error)
                    throw new InvalidOperationException($"http: {operation} failed: {error}");
                return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            // Which of the two goes first alternates, so neither always meets what the other left behind (caches, the scheduler).
            double local, remote;
            if (i % 2 == 0)
            {
                local = tenant.Time(operation, probe);
                remote = await OverHttp();
            }
            else
            {
                remote = await OverHttp();
                local = tenant.Time(operation, probe);
            }
            if (i < 0) continue;
            inProcess.Add(local);
            overHttp.Add(remote);
        }
        return (SampleSummary.Of(inProcess).Median, SampleSummary.Of(overHttp).Median, SampleSummary.Of(overHttp.Zip(inProcess, (h, l) => h - l)).Median);
    }

    private static double CliMedian(CliProgram cli, string apiKey, RecognitionCall operation, IReadOnlyList<PersonPhoto> probes, int runs, TextWriter progress)
    {
        var samples = new List<double>();
        for (var i = -1; i < runs; i++)
        {
            var probe = probes[(i + probes.Count) % probes.Count];
            string[] command = operation == RecognitionCall.Verify
                ? ["verify", "--tenant", BenchTenant.Tenant.Value, "--subject", probe.Subject, probe.Path]
                : ["identify", "--tenant", BenchTenant.Tenant.Value, "--top", LoadGenerator.IdentifyTop.ToString(System.Globalization.CultureInfo.InvariantCulture), probe.Path];
            var elapsed = cli.Run(command, apiKey).TotalMilliseconds;
            if (i >= 0) samples.Add(elapsed);
        }
        var median = SampleSummary.Of(samples).Median;
        progress.WriteLine($"http: CLI {operation}: median {median:F0} ms of {runs} processes (load {MachineInfo.LoadAverage()})");
        return median;
    }
}
