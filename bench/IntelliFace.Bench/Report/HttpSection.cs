using IntelliFace.Bench.Http;
using static IntelliFace.Bench.Report.Markdown;

namespace IntelliFace.Bench.Report;

/// <summary>The HTTP benchmark as the BENCHMARKS.md section that <c>http</c> writes and <c>report</c> keeps.</summary>
internal static class HttpSection
{
    public const string Heading = "## HTTP service: throughput and latency";

    /// <param name="command">How the run was started, as written into the section.</param>
    public static IEnumerable<string> Lines(MachineInfo machine, string command, string commit, DateTimeOffset startedUtc, HttpBenchResult r)
    {
        var o = r.Options;
        yield return Heading;
        yield return "";
        yield return $"Measured with `{command}` at commit `{commit}` on {startedUtc:yyyy-MM-dd HH:mm} UTC; the whole command took {r.Duration.TotalMinutes:F1} min. "
            + $"Machine: {machine.Summary}. Load average (1, 5, 15 min) at start: {r.LoadAtStart}; at end: {r.LoadAtEnd}. "
            + "**2 shared, noisy cores**: the service, the load generator, the CLI processes and other builds share them, so medians "
            + "and the ratios within this section mean more than any single number, and numbers from different runs compare poorly. "
            + "With other work on the cores, 32 busy service threads also win a larger share of them than 1 or 8 do, which flatters the higher client counts.";
        yield return "";
        yield return "**Set-up.** `intelliface serve` runs as a child process of the bench, not inside it: the service has its own thread pool, "
            + "garbage collector and JIT as it has in production, and the load generator's clients do not wait behind the service's "
            + "blocking pipeline calls on one shared thread pool. "
            + $"Pack `{IntelliFace.Models.PackManifest.DefaultPackName}` (`{r.Pack}`), a SQLite vault in a temporary folder (deleted afterwards), tenant `bench` with one `recognise` key, "
            + $"and `INTELLIFACE_RATE_LIMIT={HttpBenchOptions.RateLimitPerSecond}` so that the per-key rate limit never answers 429. "
            + $"Gallery of {r.GallerySubjects} subjects: the {r.Probes} DeepFace people of `../shared/faces/deepface` (first photo of each) "
            + $"and {r.GallerySubjects - r.Probes} LFW people of `../shared/faces/lfw-dev` (first photo of each). "
            + $"Probes: a second photo of each DeepFace person ({Kilobytes(r.SmallestProbeBytes)}–{Kilobytes(r.LargestProbeBytes)} JPEGs), read into memory once "
            + $"and sent raw as `image/jpeg`; verify asks about the probe's own person, identify ranks the whole gallery (`top={LoadGenerator.IdentifyTop}`).";
        yield return "";
        yield return $"**Load.** Closed loop: each client has its own `HttpClient` (`SocketsHttpHandler`, one kept-alive connection to 127.0.0.1) "
            + $"and sends its next request as soon as it has read the previous response. Before the first cell of an operation, {HttpBenchOptions.ServiceWarmUpRequests} "
            + "untimed requests let the service's JIT optimise its hot code. Per cell: "
            + $"a warm-up of {o.WarmUpSeconds} s and at least until every client has had a response (at 32 clients the first wave takes longer), then {o.MeasuredSeconds} s measured; "
            + "the cells run by client count, verify then identify at each, so both operations meet much the same background load. "
            + "*requests* are the responses completed in the measured window, *req/s* their number per second of it, and *p50* and *p99* (nearest rank) "
            + "are over their latencies, so with fewer than 100 requests p99 is the slowest one. *errors* counts any answer but 200, or none, warm-up included; "
            + "the bench fails instead of writing this section when there is one.";
        yield return "";
        yield return Header("operation", " clients", " requests", " req/s", " p50 ms", " p99 ms", " errors", " req/s / 1 client", " p50 / 1 client");
        foreach (var cell in r.Cells)
        {
            var single = r.Cell(cell.Operation, 1);
            yield return Row(Name(cell.Operation), cell.Clients, cell.Requests, Number(cell.RequestsPerSecond, "F2"), Ms(cell.P50Ms), Ms(cell.P99Ms), cell.Errors,
                Ratio(cell.RequestsPerSecond / single.RequestsPerSecond), Ratio(cell.P50Ms / single.P50Ms));
        }
        yield return "";
        yield return "**The same request three ways**, one at a time, on the same vault, key and probes (medians, ms):";
        yield return "";
        yield return Header("operation", " in-process call", " HTTP request", " HTTP extra (pairs)", " CLI process per request", " HTTP / in-process", " CLI / HTTP");
        foreach (var path in r.Paths)
        {
            yield return Row(Name(path.Operation), Ms(path.InProcessMs), Ms(path.HttpMs), Number(path.HttpExtraMs, "+0.0;-0.0"), Ms(path.CliProcessMs),
                Ratio(path.HttpMs / path.InProcessMs), Ratio(path.CliProcessMs / path.HttpMs));
        }
        yield return "";
        yield return $"- *in-process call* and *HTTP request*: `FaceRecognitionService.Verify` / `Identify` in the bench's process with the key's caller, no HTTP "
            + "(the service runs the same code behind Kestrel), and one request to the service with nothing else in flight, back to back, "
            + $"which of the two goes first alternating; {o.InProcessCalls} pairs after {HttpBenchOptions.InProcessWarmUpCalls} untimed ones. "
            + "*HTTP extra* is the median over the pairs of the request's time minus the call's: what the HTTP path adds (Kestrel, reading the body, "
            + "authentication, the JSON document, the request log), with most of the background load of each pair cancelling out. The 1-client cells above ran minutes later under other load: compare them with each other, not with this table.";
        yield return $"- *CLI process per request*: `dotnet intelliface.dll verify` / `identify --json` with `INTELLIFACE_API_KEY`, one process after another "
            + $"(median of {o.CliRuns} after 1 untimed), timed from start to exit: runtime start, model pack load, vault open and the one request. "
            + "This is what a script that calls the CLI per photo pays; the service pays the start and the load once.";
        foreach (var line in Reading(r)) yield return line;
    }

    private static IEnumerable<string> Reading(HttpBenchResult r)
    {
        foreach (var operation in r.Paths.Select(p => p.Operation))
        {
            var one = r.Cell(operation, 1);
            var cells = r.Cells.Where(c => c.Operation == operation).ToArray();
            var busiest = cells.MaxBy(c => c.RequestsPerSecond)!;
            var most = cells.MaxBy(c => c.Clients)!;
            var path = r.PathsOf(operation);
            yield return $"- {Name(operation)}: HTTP request minus in-process call {Number(path.HttpExtraMs, "+0.0;-0.0")} ms (median of the pairs); a CLI process per request costs {Ratio(path.CliProcessMs / path.HttpMs)} an HTTP request. "
                + $"The most requests per second, {Number(busiest.RequestsPerSecond, "F2")}, came with {Clients(busiest.Clients)} "
                + $"({Ratio(busiest.RequestsPerSecond / one.RequestsPerSecond)} of 1 client); at {Clients(most.Clients)} p50 is "
                + $"{Ratio(most.P50Ms / one.P50Ms)} that of 1 client.";
        }
    }

    private static string Clients(int count) => count == 1 ? "1 client" : $"{count} clients";

    private static string Name(RecognitionCall operation) => operation.ToString().ToLowerInvariant();

    private static string Kilobytes(long bytes) => bytes >= 1_000_000 ? $"{Number(bytes / 1e6, "F1")} MB" : $"{Number(bytes / 1e3, "F0")} KB";
}
