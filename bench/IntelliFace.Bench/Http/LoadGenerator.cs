using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using IntelliFace.Bench.Stages;

namespace IntelliFace.Bench.Http;

internal enum RecognitionCall
{
    Verify,
    Identify,
}

/// <summary>One (operation, clients) cell of the HTTP table.</summary>
/// <param name="Requests">Responses completed in the measured window: the latency samples.</param>
/// <param name="Errors">Failed requests, warm-up included: any status but 200, or no response.</param>
internal sealed record LoadCell(RecognitionCall Operation, int Clients, int Requests, double RequestsPerSecond, double P50Ms, double P99Ms, int Errors, IReadOnlyList<string> FirstErrors);

/// <summary>
/// A closed loop of N clients on loopback: each client has its own <see cref="HttpClient"/> and keeps one connection,
/// sends its next request as soon as the previous response has been read in full, and cycles through the probes from
/// its own starting point. The measured window opens after the warm-up, and not before every client has had a
/// response, so that it sees the loop in its steady state rather than the first wave of requests sent together. Each
/// request that completes in the window is a latency sample and counts towards the throughput. After the window the
/// clients send nothing new but wait for the requests in flight, so the next cell starts on an idle service.
/// </summary>
internal static class LoadGenerator
{
    public const int IdentifyTop = 5;

    public static async Task<LoadCell> RunAsync(Uri api, string apiKey, RecognitionCall operation, IReadOnlyList<PersonPhoto> probes, int clients,
        TimeSpan warmUp, TimeSpan measured, CancellationToken cancellation)
    {
        var window = new MeasuredWindow(clients, warmUp, measured);
        var logs = await Task.WhenAll(Enumerable.Range(0, clients).Select(client =>
            Task.Run(() => ClientAsync(api, apiKey, operation, probes, client, window, cancellation), cancellation)));

        var latencies = logs.SelectMany(l => l.Latencies).ToArray();
        var errors = logs.SelectMany(l => l.Errors).ToArray();
        return new LoadCell(operation, clients, latencies.Length, latencies.Length / measured.TotalSeconds,
            SampleSummary.Of(latencies).Median, SampleSummary.Percentile(latencies, 99), errors.Length, errors.Take(3).ToArray());
    }

    /// <summary>Sends <paramref name="requests"/> requests over <paramref name="clients"/> connections and fails on any error: for the
    /// service's JIT to compile its hot paths fully before anything is measured.</summary>
    public static async Task WarmUpAsync(Uri api, string apiKey, RecognitionCall operation, IReadOnlyList<PersonPhoto> probes, int clients, int requests, CancellationToken cancellation)
    {
        var errors = await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            using var http = Client(api, apiKey);
            var failures = new List<string>();
            for (var next = client; next < requests; next += clients)
            {
                if (await SendAsync(http, operation, probes[next % probes.Count], cancellation) is { } error) failures.Add(error);
            }
            return failures;
        }, cancellation)));
        if (errors.SelectMany(e => e).FirstOrDefault() is { } first)
            throw new InvalidOperationException($"http: the warm-up of {operation} failed: {first}");
    }

    public static HttpRequestMessage RequestOf(RecognitionCall operation, PersonPhoto probe)
    {
        var path = operation == RecognitionCall.Verify ? $"v1/subjects/{probe.Subject}/verify" : $"v1/identify?top={IdentifyTop}";
        var content = new ByteArrayContent(probe.Bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    /// <summary>When the measured window opens and closes, in <see cref="Stopwatch"/> ticks; it opens once the warm-up
    /// has passed and the last client has had its first response.</summary>
    private sealed class MeasuredWindow(int clients, TimeSpan warmUp, TimeSpan measured)
    {
        private readonly long _warmUpEnds = Stopwatch.GetTimestamp() + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        private readonly long _length = (long)(measured.TotalSeconds * Stopwatch.Frequency);
        private int _waiting = clients;
        private long _opens = long.MaxValue;

        public long Opens => Volatile.Read(ref _opens);

        public long Closes => Opens == long.MaxValue ? long.MaxValue : Opens + _length;

        public void FirstResponse(long at)
        {
            if (Interlocked.Decrement(ref _waiting) == 0) Volatile.Write(ref _opens, Math.Max(at, _warmUpEnds));
        }
    }

    private sealed record ClientLog(List<double> Latencies, List<string> Errors);

    /// <summary>A client of one connection that sends <paramref name="apiKey"/> as its bearer key.</summary>
    public static HttpClient Client(Uri api, string apiKey)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            UseProxy = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        var http = new HttpClient(handler, disposeHandler: true) { BaseAddress = api, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    private static async Task<ClientLog> ClientAsync(Uri api, string apiKey, RecognitionCall operation, IReadOnlyList<PersonPhoto> probes, int client,
        MeasuredWindow window, CancellationToken cancellation)
    {
        using var http = Client(api, apiKey);
        var latencies = new List<double>();
        var errors = new List<string>();
        for (var next = client; Stopwatch.GetTimestamp() < window.Closes; next++)
        {
            var started = Stopwatch.GetTimestamp();
            var error = await SendAsync(http, operation, probes[next % probes.Count], cancellation);
            var ended = Stopwatch.GetTimestamp();
            if (next == client) window.FirstResponse(ended);
            if (error is not null) errors.Add(error);
            if (ended >= window.Opens && ended <= window.Closes) latencies.Add(Stopwatch.GetElapsedTime(started, ended).TotalMilliseconds);
        }
        return new ClientLog(latencies, errors);
    }

    /// <returns>Null for a 200 with its body read; otherwise what went wrong.</returns>
    public static async Task<string?> SendAsync(HttpClient http, RecognitionCall operation, PersonPhoto probe, CancellationToken cancellation)
    {
        try
        {
            using var request = RequestOf(operation, probe);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellation);
            if (response.StatusCode == HttpStatusCode.OK) return null;
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellation)}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            return $"no response: {e.Message}";
        }
    }
}
