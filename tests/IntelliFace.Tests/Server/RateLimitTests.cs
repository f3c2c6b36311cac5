using System.Net;
using IntelliFace.Recognition;
using IntelliFace.Server;
using IntelliFace.Server.RateLimiting;
using IntelliFace.Tenancy;
using static IntelliFace.Tests.Server.ProblemAssertions;

namespace IntelliFace.Tests.Server;

/// <summary>A service that lets each key send one request a second, in bursts of two.</summary>
public sealed class RateLimitedServerFixture : ServerFixture
{
    protected override ServerOptions Options => new() { RateLimitPerSecond = 1 };
}

/// <summary>Per-key rate limiting: 429 <c>rate_limited</c> with <c>Retry-After</c>, one bucket per key, none for health.</summary>
public sealed class RateLimitTests(RateLimitedServerFixture fixture) : IClassFixture<RateLimitedServerFixture>
{
    private ServerHarness Server => fixture.Harness;

    [Fact]
    public async Task A_key_past_its_burst_gets_429_with_retry_after_and_another_key_is_not_held_back()
    {
        var operators = new OperatorService(Server.Vault);
        using var hasty = operators.CreateApiKey(new TenantId("acme"), Scopes.All);
        using var patient = operators.CreateApiKey(new TenantId("acme"), Scopes.All);

        // Four at once against a burst of two: at most one refill (one a second) can land while they are in flight.
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Server.Tenant(HttpMethod.Get, "/v1/subjects", key: hasty.Reveal())));
        try
        {
            var served = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
            var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            Assert.Equal(4, served + refused.Count);
            Assert.InRange(served, 2, 3);
            var problem = await AssertProblem(refused[0], HttpStatusCode.TooManyRequests, "rate_limited", "/v1/subjects");
            Assert.Equal(1, problem.GetProperty("retry_after_seconds").GetInt32());
            Assert.Equal("1", Assert.Single(refused[0].Headers.GetValues("Retry-After")));
        }
        finally
        {
            foreach (var response in responses) response.Dispose();
        }

        using var other = await Server.Tenant(HttpMethod.Get, "/v1/subjects", key: patient.Reveal());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var later = await Server.Tenant(HttpMethod.Get, "/v1/subjects", key: hasty.Reveal());
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task Guessed_keys_share_one_bucket_per_client_address()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Server.Operator(HttpMethod.Get, "/ops/v1/tenants", key: $"ifk_00000000000{i}_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")));
        try
        {
            Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"got {(int)r.StatusCode}"));
            Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        }
        finally
        {
            foreach (var response in responses) response.Dispose();
        }
    }

    [Fact]
    public async Task Health_readiness_and_the_api_page_are_never_limited()
    {
        foreach (var path in new[] { "/healthz", "/readyz", "/openapi/v1.json" })
        {
            for (var i = 0; i < 5; i++)
            {
                using var response = await Server.Tenant(HttpMethod.Get, path);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
    }

    [Theory]
    [InlineData(1, 2, 1, 1000)]
    [InlineData(50, 100, 3, 60)]
    [InlineData(10_000, 20_000, 500, 50)]
    public void The_bucket_refills_the_rate_in_steps_of_at_most_50_ms(int rate, int burst, int tokensPerRefill, int refillMs)
    {
        var bucket = ApiKeyRateLimits.BucketOf(new ServerOptions { RateLimitPerSecond = rate });
        Assert.Equal(burst, bucket.TokenLimit);
        Assert.Equal(tokensPerRefill, bucket.TokensPerPeriod);
        Assert.Equal(refillMs, (int)Math.Round(bucket.ReplenishmentPeriod.TotalMilliseconds));
        Assert.Equal(0, bucket.QueueLimit);
    }
}
