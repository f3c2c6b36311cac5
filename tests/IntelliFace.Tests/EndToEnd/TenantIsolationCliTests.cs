using System.Text.Json;
using IntelliFace.Tests.Vault;
using IntelliFace.Vault;

namespace IntelliFace.Tests.EndToEnd;

/// <summary>Tenants a (subject alice) and b (subject bob), each with an all-scopes API key, made once through the CLI.</summary>
public sealed class TwoTenantsFixture : IDisposable
{
    private readonly TestDirectory _root = new();

    public TwoTenantsFixture()
    {
        Local = new Dictionary<string, string>
        {
            ["INTELLIFACE_DATA"] = _root.File("data"),
            [EnvironmentMasterKeyProvider.VariableName] = Convert.ToBase64String(Enumerable.Repeat((byte)4, 32).ToArray()),
        };
        TenantIsolationCliTests.Run(Local, "tenants", "create", "a");
        TenantIsolationCliTests.Run(Local, "tenants", "create", "b");
        KeyA = TenantIsolationCliTests.ApiKeyOf(TenantIsolationCliTests.Run(Local, "apikeys", "create", "--tenant", "a", "--scopes", "enroll,recognise,manage_subjects,read_audit", "--json"));
        KeyB = TenantIsolationCliTests.ApiKeyOf(TenantIsolationCliTests.Run(Local, "apikeys", "create", "--tenant", "b", "--scopes", "enroll,recognise,manage_subjects,read_audit", "--json"));
        TenantIsolationCliTests.Run(As(KeyA), "enroll", "--tenant", "a", "--subject", "alice", DeepFacePhotos.PathOf("img1.jpg"));
        TenantIsolationCliTests.Run(As(KeyB), "enroll", "--tenant", "b", "--subject", "bob", DeepFacePhotos.PathOf("img1.jpg"));
    }

    public Dictionary<string, string> Local { get; }

    public string KeyA { get; }

    public string KeyB { get; }

    public Dictionary<string, string> As(string apiKey) => new(Local) { ["INTELLIFACE_API_KEY"] = apiKey };

    public void Dispose() => _root.Dispose();
}

/// <summary>Every CLI verb, called with tenant A's API key against tenant B, fails; B's data is untouched.</summary>
public sealed class TenantIsolationCliTests(TwoTenantsFixture tenants) : IClassFixture<TwoTenantsFixture>
{
    private readonly string _keyA = tenants.KeyA;
    private readonly string _keyB = tenants.KeyB;

    public static TheoryData<string, string[]> VerbsAgainstTenantB => new()
    {
        { "forbidden", ["enroll", "--tenant", "b", "--subject", "bob", Photo("img2.jpg")] },
        { "forbidden", ["verify", "--tenant", "b", "--subject", "bob", Photo("img2.jpg")] },
        { "forbidden", ["identify", "--tenant", "b", Photo("img2.jpg")] },
        { "forbidden", ["subjects", "list", "--tenant", "b"] },
        { "forbidden", ["subjects", "erase", "--tenant", "b", "--subject", "bob"] },
        { "forbidden", ["audit", "export", "--tenant", "b"] },
        { "forbidden", ["subjects", "export", "--tenant", "b", "--subject", "bob"] },
        { "forbidden", ["consent", "record", "--tenant", "b", "--subject", "bob", "--basis", "explicit_consent", "--notice", "n1"] },
        // B's subject named under A's own tenant is simply not there.
        { "unknown_subject", ["verify", "--tenant", "a", "--subject", "bob", Photo("img2.jpg")] },
        { "unknown_subject", ["subjects", "erase", "--tenant", "a", "--subject", "bob"] },
        // Operator verbs are not a tenant's.
        { "forbidden", ["tenants", "list"] },
        { "forbidden", ["tenants", "suspend", "b"] },
        { "forbidden", ["tenants", "delete", "b"] },
        { "forbidden", ["apikeys", "create", "--tenant", "b", "--scopes", "enroll"] },
        { "forbidden", ["apikeys", "list", "--tenant", "b"] },
        { "forbidden", ["audit", "verify"] },
        { "forbidden", ["tenants", "policy", "b", "--retention-days", "1"] },
        { "forbidden", ["retention", "run"] },
        { "forbidden", ["keys", "rotate", "tenant", "--tenant", "b"] },
        { "forbidden", ["breakglass", "request", "--tenant", "b", "--reason", "r", "--ticket", "t", "--operations", "subjects.list"] },
    };

    [Theory, MemberData(nameof(VerbsAgainstTenantB))]
    public void Tenant_As_key_cannot_reach_tenant_Bs_subjects(string expectedError, string[] verb)
    {
        var outcome = CliProcess.Run(As(_keyA), [.. verb, "--json"]);

        using var error = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal(expectedError, error.RootElement.GetProperty("error").GetString());
        Assert.Equal(expectedError == "forbidden" ? 4 : 1, outcome.ExitCode);
        var listing = Run(As(_keyB), "subjects", "list", "--tenant", "b", "--json");
        using var subjects = JsonDocument.Parse(listing);
        var only = Assert.Single(subjects.RootElement.GetProperty("subjects").EnumerateArray());
        Assert.Equal(("bob", 1), (only.GetProperty("subject").GetString(), only.GetProperty("templates").GetInt32()));
    }

    [Fact]
    public void A_folder_enrollment_into_another_tenant_enrolls_nothing()
    {
        var outcome = CliProcess.Run(As(_keyA), "enroll", "--tenant", "b", "--from-folder", Path.Combine(SharedData.PathOf("faces", "deepface")), "--json");

        using var report = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal(0, report.RootElement.GetProperty("enrolled").GetInt32());
        Assert.All(report.RootElement.GetProperty("results").EnumerateArray(), r => Assert.Equal("forbidden", r.GetProperty("error").GetString()));
        Assert.Equal(1, outcome.ExitCode);
    }

    [Fact]
    public void A_missing_or_wrong_api_key_is_unauthorized_and_the_refusals_show_in_Bs_trail()
    {
        Run(As(_keyA), "subjects", "list", "--tenant", "a");
        var wrong = CliProcess.Run(As("ifk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), "subjects", "list", "--tenant", "a", "--json");
        CliProcess.Run(As(_keyA), "subjects", "list", "--tenant", "b");

        using var error = JsonDocument.Parse(wrong.Stdout);
        Assert.Equal(("unauthorized", 4), (error.RootElement.GetProperty("error").GetString(), wrong.ExitCode));
        var trail = Run(As(_keyB), "audit", "export", "--tenant", "b")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToArray();
        var keyIdA = _keyA[4..16];
        var lines = trail.Select(e => $"{e.GetProperty("actor").GetString()} {e.GetProperty("action").GetString()} {e.GetProperty("outcome").GetString()}").ToArray();
        Assert.Equal(["local tenant.create ok", "local apikey.create ok", $"apikey:{_keyB[4..16]} enroll ok"], lines[..3]);
        Assert.Contains($"apikey:{keyIdA} subjects.list forbidden", lines);
        Assert.All(lines[3..], line => Assert.True(line.StartsWith($"apikey:{keyIdA} ", StringComparison.Ordinal) || line.StartsWith($"apikey:{_keyB[4..16]} ", StringComparison.Ordinal), line));
    }

    private static string Photo(string file) => DeepFacePhotos.PathOf(file);

    private Dictionary<string, string> As(string apiKey) => tenants.As(apiKey);

    internal static string Run(Dictionary<string, string> environment, params string[] arguments)
    {
        var outcome = CliProcess.Run(environment, arguments);
        Assert.True(outcome.ExitCode == 0, $"intelliface {string.Join(' ', arguments)} exited {outcome.ExitCode}: {outcome.Stderr}{outcome.Stdout}");
        return outcome.Stdout;
    }

    internal static string ApiKeyOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("api_key").GetString()!;
    }
}
