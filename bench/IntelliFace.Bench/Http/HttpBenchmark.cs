using System.Diagnostics;
using IntelliFace.Bench.Report;
using IntelliFace.Bench.Stages;
using IntelliFace.Imaging;
using IntelliFace.Models;
using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Bench.Http;

/// <param name="WarmUpSeconds">Per (operation, clients) cell, before the measured window.</param>
/// <param name="InProcessCalls">Timed calls of the application layer per operation, after <see cref="InProcessWarmUpCalls"/> untimed ones.</param>
/// <param name="CliRuns">Timed CLI processes per operation, after 1 untimed one.</param>
/// <param name="ExtraGallery">LFW people enrolled besides the DeepFace ones, to give identify a larger gallery.</param>
internal sealed record HttpBenchOptions(
    int WarmUpSeconds = 3, int MeasuredSeconds = 15, int InProcessCalls = 26, int CliRuns = 10, int ExtraGallery = 87)
{
    public static readonly int[] ClientCounts = [1, 8, 32];

    /// <summary>Requests per operation before its first cell: more than the 30 calls after which .NET recompiles a
    /// method optimised, so the 1-client cell does not measure a service still running its first-tier code.</summary>
    public const int ServiceWarmUpRequests = 40;

    /// <summary>Untimed calls before the in-process ones are timed; the enrollments before them ran the same pipeline.</summary>
    public const int InProcessWarmUpCalls = 10;

    /// <summary>Requests per second per key for the service: far above what 2 cores can serve, so it never answers 429.</summary>
    public const int RateLimitPerSecond = 100_000;
}

/// <summary>The median of one path that is not HTTP, per operation.</summary>
internal sealed record PathMedians(RecognitionCall Operation, double InProcessMs, double CliProcessMs);

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
/// is deleted at the end; all traffic goes to 127.0.0.1.
/// </summary>
internal static class HttpBenchmark
{
    private static readonly TenantId Tenant = new("bench");

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
            var (apiKey, gallery, pack, inProcess) = SetUpAndTimeInProcess(data, keyFile, people, options, progress);
            progress.WriteLine($"http: gallery of {gallery} subjects; in-process verify {inProcess[RecognitionCall.Verify]:F1} ms, identify {inProcess[RecognitionCall.Identify]:F1} ms");

            var cells = new List<LoadCell>();
            await using (var server = await ServeProcess.StartAsync(cli, HttpBenchOptions.RateLimitPerSecond, cancellation))
            {
                progress.WriteLine($"http: intelliface serve on {server.TenantApi}");
                foreach (var operation in Enum.GetValues<RecognitionCall>())
                {
                    await LoadGenerator.WarmUpAsync(server.TenantApi, apiKey, operation, people.Probes, clients: 2, HttpBenchOptions.ServiceWarmUpRequests, cancellation);
                    progress.WriteLine($"http: {operation}: {HttpBenchOptions.ServiceWarmUpRequests} warm-up requests done");
                    foreach (var clients in HttpBenchOptions.ClientCounts)
                    {
                        var cell = await LoadGenerator.RunAsync(server.TenantApi, apiKey, operation, people.Probes, clients,
                            TimeSpan.FromSeconds(options.WarmUpSeconds), TimeSpan.FromSeconds(options.MeasuredSeconds), cancellation);
                        progress.WriteLine($"http: {operation} x {clients}: {cell.Requests} requests, {cell.RequestsPerSecond:F2} req/s, p50 {cell.P50Ms:F1} ms, p99 {cell.P99Ms:F1} ms, {cell.Errors} errors (load {MachineInfo.LoadAverage()})");
                        if (cell.Errors > 0)
                            throw new InvalidOperationException($"http: {operation} with {clients} clients had {cell.Errors} failed requests; the numbers are not valid. First: {string.Join(" | ", cell.FirstErrors)}");
                        cells.Add(cell);
                    }
                }
            }

            var paths = Enum.GetValues<RecognitionCall>()
                .Select(operation => new PathMedians(operation, inProcess[operation], CliMedian(cli, apiKey, operation, people.Probes, options.CliRuns, progress)))
                .ToArray();
            return new HttpBenchResult(options, pack, gallery, people.Probes.Count, people.Probes.Min(p => p.Bytes.LongLength), people.Probes.Max(p => p.Bytes.LongLength),
                cells, paths, duration.Elapsed, loadAtStart, MachineInfo.LoadAverage());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Creates the tenant, its recognise key and the gallery, then times the application layer on the same vault and
    /// pack before the service opens them. Returns the key's secret and the medians per operation.
    /// </summary>
    private static (string ApiKey, int Gallery, string Pack, Dictionary<RecognitionCall, double> InProcessMs) SetUpAndTimeInProcess(
        string data, string keyFile, BenchPeople people, HttpBenchOptions options, TextWriter progress)
    {
        using var pack = ModelPackLoader.Load(PackManifest.Load(PackManifest.DefaultPackName), ModelStore.FromEnvironment());
        using var vault = TemplateVault.OpenSqlite(data, new KeyFileMasterKeyProvider(keyFile, createIfMissing: true));
        var operators = new OperatorService(vault);
        operators.CreateTenant(Tenant);
        using var token = operators.CreateApiKey(Tenant, Scopes.Recognise);
        var apiKey = token.Reveal();

        var pipeline = new FacePipeline(pack, new ImageIntake());
        var administrator = new FaceRecognitionService(pipeline, vault);
        foreach (var photo in people.Enrolled) administrator.Enroll(Tenant, new SubjectId(photo.Subject), photo.Bytes);
        var gallery = people.Enrolled.Count;
        foreach (var photo in people.ExtraGallery)
        {
            try
            {
                administrator.Enroll(Tenant, new SubjectId(photo.Subject), photo.Bytes);
                gallery++;
            }
            catch (FaceException)
            {
                // no usable face, or several: that LFW person is left out of the gallery
            }
        }
        progress.WriteLine($"http: enrolled {gallery} subjects ({people.Enrolled.Count} DeepFace, {gallery - people.Enrolled.Count} LFW)");

        var service = new FaceRecognitionService(pipeline, vault, new ApiKeyAuthenticator(vault).Authenticate(apiKey));
        var medians = Enum.GetValues<RecognitionCall>().ToDictionary(operation => operation, operation =>
        {
            var samples = new List<double>();
            for (var i = -HttpBenchOptions.InProcessWarmUpCalls; i < options.InProcessCalls; i++)
            {
                var probe = people.Probes[(i + people.Probes.Count * HttpBenchOptions.InProcessWarmUpCalls) % people.Probes.Count];
                var started = Stopwatch.GetTimestamp();
                if (operation == RecognitionCall.Verify) service.Verify(Tenant, new SubjectId(probe.Subject), probe.Bytes);
                else service.Identify(Tenant, probe.Bytes, LoadGenerator.IdentifyTop);
                if (i >= 0) samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            return SampleSummary.Of(samples).Median;
        });
        return (apiKey, gallery, pack.Id.Value, medians);
    }

    private static double CliMedian(CliProgram cli, string apiKey, RecognitionCall operation, IReadOnlyList<PersonPhoto> probes, int runs, TextWriter progress)
    {
        var samples = new List<double>();
        for (var i = -1; i < runs; i++)
        {
            var probe = probes[(i + probes.Count) % probes.Count];
            string[] command = operation == RecognitionCall.Verify
                ? ["verify", "--tenant", Tenant.Value, "--subject", probe.Subject, probe.Path]
                : ["identify", "--tenant", Tenant.Value, "--top", LoadGenerator.IdentifyTop.ToString(System.Globalization.CultureInfo.InvariantCulture), probe.Path];
            var elapsed = cli.Run(command, apiKey).TotalMilliseconds;
            if (i >= 0) samples.Add(elapsed);
        }
        var median = SampleSummary.Of(samples).Median;
        progress.WriteLine($"http: CLI {operation}: median {median:F0} ms of {runs} processes (load {MachineInfo.LoadAverage()})");
        return median;
    }
}
