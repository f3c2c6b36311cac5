using System.Net.Http.Headers;
using System.Text.Json;
using IntelliFace.Models;
using IntelliFace.Recognition;
using IntelliFace.Server;
using IntelliFace.Server.Hosting;
using IntelliFace.Tenancy;
using IntelliFace.Tests.Vault;
using IntelliFace.Vault;

namespace IntelliFace.Tests.Server;

/// <summary>
/// The real service in this process: Kestrel on loopback (port 0 for both listeners), a SQLite vault in a temp
/// folder, the installed default pack. Tenant <c>acme</c> with an all-scope key and an enroll-only key, tenant
/// <c>globex</c> with an all-scope key, and two operators.
/// </summary>
internal sealed class ServerHarness : IAsyncDisposable
{
    private readonly TestDirectory _root;
    private readonly HttpClient _tenant;
    private readonly HttpClient _operator;

    private ServerHarness(TestDirectory root, TemplateVault vault, RunningServer server)
    {
        _root = root;
        Vault = vault;
        Server = server;
        _tenant = new HttpClient { BaseAddress = server.TenantApi, Timeout = TimeSpan.FromMinutes(2) };
        _operator = new HttpClient { BaseAddress = server.OperatorApi, Timeout = TimeSpan.FromMinutes(2) };
    }

    public TemplateVault Vault { get; }

    public RunningServer Server { get; }

    public string DataFolder => Path.Combine(_root.Path, "data");

    public static string DataFolderOf(TestDirectory root) => Path.Combine(root.Path, "data");

    public string TenantKey { get; private set; } = "";

    public string EnrollOnlyKey { get; private set; } = "";

    public string GlobexKey { get; private set; } = "";

    public string OperatorKey { get; private set; } = "";

    public string SecondOperatorKey { get; private set; } = "";

    public static async Task<ServerHarness> StartAsync(IModelPack pack, ServerOptions? options = null)
    {
        var root = new TestDirectory();
        var vault = TemplateVault.OpenSqlite(DataFolderOf(root), new FixedMasterKeyProvider(7));
        var operators = new OperatorService(vault);
        operators.CreateTenant(new TenantId("acme"));
        using var all = operators.CreateApiKey(new TenantId("acme"), Scopes.All);
        using var enrollOnly = operators.CreateApiKey(new TenantId("acme"), Scopes.Enroll);
        operators.CreateTenant(new TenantId("globex"));
        using var globex = operators.CreateApiKey(new TenantId("globex"), Scopes.All);
        using var ada = operators.AddOperator(new OperatorName("ada"));
        using var bob = operators.AddOperator(new OperatorName("bob"));
        var server = await IntelliFaceServer.StartAsync(
            (options ?? new ServerOptions()) with { Listen = "http://127.0.0.1:0", OperatorListen = "http://127.0.0.1:0" }, vault, pack);
        return new ServerHarness(root, vault, server)
        {
            TenantKey = all.Reveal(), EnrollOnlyKey = enrollOnly.Reveal(), GlobexKey = globex.Reveal(), OperatorKey = ada.Reveal(), SecondOperatorKey = bob.Reveal(),
        };
    }

    /// <summary>A request to the tenant API, with <paramref name="key"/> as its bearer key when given.</summary>
    public Task<HttpResponseMessage> Tenant(HttpMethod method, string path, HttpContent? content = null, string? key = null) =>
        Send(_tenant, method, path, content, key);

    public Task<HttpResponseMessage> Operator(HttpMethod method, string path, HttpContent? content = null, string? key = null) =>
        Send(_operator, method, path, content, key);

    internal static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, HttpContent? content, string? key)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        // As curl does for large bodies: a request refused before its body is read then never sends the body.
        if (content is not null) request.Headers.ExpectContinue = true;
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static ByteArrayContent Raw(byte[] photo, string type = "image/jpeg")
    {
        var content = new ByteArrayContent(photo);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    public async ValueTask DisposeAsync()
    {
        _tenant.Dispose();
        _operator.Dispose();
        await Server.DisposeAsync();
        Vault.Dispose();
        _root.Dispose();
    }
}
