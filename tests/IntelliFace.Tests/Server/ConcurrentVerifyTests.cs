using IntelliFace.Client;
using static IntelliFace.Tests.Server.ClientFixture;

namespace IntelliFace.Tests.Server;

/// <summary>
/// 64 verifies in flight at once, alternating tenants and same/different person, every encoding: each answer is the
/// right one. The pairs are clear cases for the default pack (same person at 0.955 or more, different at 0.87 or less,
/// threshold 0.9098).
/// </summary>
public sealed class ConcurrentVerifyTests(ClientFixture fixture) : IClassFixture<ClientFixture>
{
    private const int Requests = 64;

    private static readonly (string Subject, string Probe)[] AcmeSame = [("anna", "img2.jpg"), ("anna", "img4.jpg"), ("anna", "img5.jpg"), ("dora", "img53.jpg"), ("dora", "img55.jpg"), ("dora", "img56.jpg")];
    private static readonly (string Subject, string Probe)[] AcmeOther = [("anna", "img8.jpg"), ("anna", "img9.jpg"), ("anna", "img55.jpg"), ("dora", "img9.jpg"), ("dora", "img48.jpg"), ("dora", "img50.jpg")];
    private static readonly (string Subject, string Probe)[] GlobexSame = [("cara", "img9.jpg"), ("cara", "img49.jpg"), ("cara", "img50.jpg"), ("cara", "img51.jpg"), ("bert", "img27.jpg"), ("bert", "img28.jpg")];
    private static readonly (string Subject, string Probe)[] GlobexOther = [("cara", "img1.jpg"), ("cara", "img5.jpg"), ("cara", "img53.jpg"), ("bert", "img9.jpg"), ("bert", "img48.jpg"), ("bert", "img51.jpg")];

    [Fact]
    public async Task Sixty_four_verifies_at_once_across_two_tenants_all_get_the_right_answer()
    {
        await Task.WhenAll(
            fixture.Acme.EnrollAsync("anna", Photo("img1.jpg")), fixture.Acme.EnrollAsync("dora", Photo("img3.jpg")),
            fixture.Globex.EnrollAsync("cara", Photo("img8.jpg")), fixture.Globex.EnrollAsync("bert", Photo("img26.jpg")));
        var gate = new InFlightGate(Requests);
        using var http = new HttpClient(fixture.Recorder.Wrapping(gate.Wrapping(new SocketsHttpHandler()))) { BaseAddress = fixture.TenantHttp.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        var acme = new IntelliFaceClient(http, fixture.Harness.TenantKey);
        var globex = new IntelliFaceClient(http, fixture.Harness.GlobexKey);
        var photos = AcmeSame.Concat(AcmeOther).Concat(GlobexSame).Concat(GlobexOther).Select(p => p.Probe).Distinct().ToDictionary(p => p, Photo);

        var requests = Enumerable.Range(0, Requests).Select(i =>
        {
            var (tenant, client) = i % 2 == 0 ? ("acme", acme) : ("globex", globex);
            var same = i / 2 % 2 == 0;
            var pairs = (tenant, same) switch
            {
                ("acme", true) => AcmeSame,
                ("acme", false) => AcmeOther,
                (_, true) => GlobexSame,
                _ => GlobexOther,
            };
            var (subject, probe) = pairs[i / 4 % pairs.Length];
            var encoding = (PhotoEncoding)(i / 4 % 4);
            return (Expected: $"{tenant} {subject} {probe} {encoding}: {same}", Answer: Answer(client, subject, photos[probe], encoding, $"{tenant} {subject} {probe} {encoding}"));
        }).ToArray();
        var answers = await Task.WhenAll(requests.Select(r => r.Answer));

        Assert.Equal(Requests, gate.MostInFlight);
        Assert.Equal(requests.Select(r => r.Expected), answers);
    }

    private static async Task<string> Answer(IntelliFaceClient client, string subject, PhotoContent probe, PhotoEncoding encoding, string label)
    {
        try
        {
            var result = await client.VerifyAsync(subject, probe, encoding);
            return result.Subject == subject ? $"{label}: {result.Match}" : $"{label}: answered for {result.Subject}";
        }
        catch (IntelliFaceApiException e)
        {
            return $"{label}: {e.Message}";
        }
    }

    /// <summary>Holds every request until <c>count</c> are waiting, then lets them all go: they are in flight together.</summary>
    private sealed class InFlightGate(int count)
    {
        private readonly int _count = count;
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _waiting;
        private int _inFlight;
        private int _most;

        public int MostInFlight => Volatile.Read(ref _most);

        public HttpMessageHandler Wrapping(HttpMessageHandler inner) => new Handler(this) { InnerHandler = inner };

        private sealed class Handler(InFlightGate gate) : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var inFlight = Interlocked.Increment(ref gate._inFlight);
                InterlockedMax(ref gate._most, inFlight);
                if (Interlocked.Increment(ref gate._waiting) == gate._count) gate._open.TrySetResult();
                try
                {
                    await gate._open.Task.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);
                    return await base.SendAsync(request, cancellationToken);
                }
                finally
                {
                    Interlocked.Decrement(ref gate._inFlight);
                }
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }
}
