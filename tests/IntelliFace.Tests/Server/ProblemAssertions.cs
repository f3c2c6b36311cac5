using System.Net;
using System.Text.Json;

namespace IntelliFace.Tests.Server;

/// <summary>Asserts the one error shape: RFC 9457 problem+json with the contract's fields.</summary>
internal static class ProblemAssertions
{
    public static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code, string instance)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal($"urn:intelliface:error:{code}", problem.GetProperty("type").GetString());
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Equal(instance, problem.GetProperty("instance").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("trace_id").GetString()));
        return problem;
    }
}
