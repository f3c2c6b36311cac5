using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntelliFace.Tests.EndToEnd;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IntelliFace.Tests.Server;

/// <summary>
/// The OpenAPI documents and the API page the service publishes: every endpoint described, on its own listener, and
/// the answers of the running service valid against the documented schemas, field for field.
/// </summary>
public sealed partial class OpenApiDocumentTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerHarness Server => fixture.Harness;

    private static byte[] Photo(string file) => File.ReadAllBytes(DeepFacePhotos.PathOf(file));

    [Fact]
    public async Task Each_listener_publishes_the_document_of_its_own_api_and_only_that()
    {
        var tenant = await Document(Server.Tenant, "/openapi/v1.json");
        var operators = await Document(Server.Operator, "/ops/openapi/ops-v1.json");

        Assert.All(Paths(tenant), path => Assert.False(path.StartsWith("/ops", StringComparison.Ordinal), path));
        Assert.All(Paths(operators), path => Assert.False(path.StartsWith("/v1", StringComparison.Ordinal), path));

        foreach (var (listener, path) in new (Func<HttpMethod, string, HttpContent?, string?, Task<HttpResponseMessage>>, string)[]
                 {
                     (Server.Tenant, "/openapi/ops-v1.json"), (Server.Tenant, "/ops/openapi/ops-v1.json"),
                     (Server.Operator, "/openapi/v1.json"), (Server.Operator, "/ops/openapi/v1.json"), (Server.Operator, "/docs/index.html"),
                 })
        {
            using var response = await listener(HttpMethod.Get, path, null, null);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Every_api_endpoint_the_service_maps_is_in_a_document_with_bearer_security_and_problem_answers()
    {
        var documented = new HashSet<string>();
        foreach (var document in new[] { await Document(Server.Tenant, "/openapi/v1.json"), await Document(Server.Operator, "/ops/openapi/ops-v1.json") })
        {
            foreach (var path in document.GetProperty("paths").EnumerateObject())
            {
                foreach (var operation in path.Value.EnumerateObject())
                {
                    documented.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
                    if (!path.Name.StartsWith("/v1/", StringComparison.Ordinal) && !path.Name.StartsWith("/ops/v1/", StringComparison.Ordinal)) continue;
                    var security = Assert.Single(operation.Value.GetProperty("security").EnumerateArray());
                    Assert.True(security.TryGetProperty("bearer", out _), $"{path.Name}: no bearer requirement");
                    foreach (var range in new[] { "4XX", "5XX" })
                    {
                        var schema = operation.Value.GetProperty("responses").GetProperty(range).GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
                        Assert.Equal("#/components/schemas/Problem", schema.GetProperty("$ref").GetString());
                    }
                }
            }
        }

        var endpoints = Server.Server.Services.GetServices<EndpointDataSource>().SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } route && (route.StartsWith("/v1/", StringComparison.Ordinal) || route.StartsWith("/ops/v1/", StringComparison.Ordinal)))
            .SelectMany(e => e.Metadata.OfType<Microsoft.AspNetCore.Routing.HttpMethodMetadata>().SelectMany(m => m.HttpMethods).Select(method => $"{method} {e.RoutePattern.RawText}"))
            .ToHashSet();
        Assert.Equal(28, endpoints.Count);
        Assert.Empty(endpoints.Except(documented));
    }

    [Theory]
    [InlineData("/v1/subjects/{subject}/templates", new[] { "photo" })]
    [InlineData("/v1/subjects/{subject}/verify", new[] { "photo" })]
    [InlineData("/v1/identify", new[] { "photo" })]
    [InlineData("/v1/compare", new[] { "a", "b" })]
    public async Task Photo_endpoints_document_every_photo_encoding(string path, string[] parts)
    {
        var body = (await Document(Server.Tenant, "/openapi/v1.json")).GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody");
        Assert.True(body.GetProperty("required").GetBoolean());
        var content = body.GetProperty("content");
        var types = content.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        string[] expected = parts.Length == 1
            ? ["application/json", "application/octet-stream", "image/bmp", "image/gif", "image/jpeg", "image/png", "image/webp", "multipart/form-data"]
            : ["application/json", "multipart/form-data"];
        Assert.Equal(expected, types);
        foreach (var encoding in new[] { "application/json", "multipart/form-data" })
        {
            var required = content.GetProperty(encoding).GetProperty("schema").GetProperty("required").EnumerateArray().Select(e => e.GetString()).ToArray();
            Assert.Equal(parts, required);
        }
    }

    [Theory]
    [InlineData("/openapi/v1.json", "/v1/identify", "post", new[] { "threshold", "top" })]
    [InlineData("/openapi/v1.json", "/v1/audit", "get", new[] { "after" })]
    [InlineData("/openapi/v1.json", "/v1/subjects/{subject}/export", "get", new[] { "recipient_key" })]
    [InlineData("/ops/openapi/ops-v1.json", "/ops/v1/breakglass", "get", new[] { "tenant" })]
    public async Task The_query_parameters_endpoints_read_are_documented(string documentPath, string path, string method, string[] names)
    {
        var document = documentPath.StartsWith("/ops", StringComparison.Ordinal)
            ? await Document(Server.Operator, documentPath)
            : await Document(Server.Tenant, documentPath);
        var parameters = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("in").GetString() == "query").ToList();
        Assert.Equal(names, parameters.Select(p => p.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.All(parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("description").GetString())));
    }

    [Fact]
    public async Task The_answers_of_the_tenant_api_match_their_documented_schemas_field_for_field()
    {
        var document = await Document(Server.Tenant, "/openapi/v1.json");
        var key = Server.TenantKey;
        var subject = "schema-" + Guid.NewGuid().ToString("N")[..8];
        var checkedOperations = new List<string>();

        async Task Check(string path, string method, HttpResponseMessage response, HttpStatusCode status)
        {
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(status == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
                var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
                var schema = operation.GetProperty("responses").GetProperty(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .GetProperty("content").GetProperty("application/json").GetProperty("schema");
                var violations = new List<string>();
                SchemaConformance.Check(JsonDocument.Parse(text).RootElement, schema, document, "$", violations);
                Assert.True(violations.Count == 0, $"{method} {path}: {string.Join("; ", violations)}");
                checkedOperations.Add(operation.GetProperty("operationId").GetString()!);
            }
        }

        await Check("/healthz", "get", await Server.Tenant(HttpMethod.Get, "/healthz"), HttpStatusCode.OK);
        await Check("/readyz", "get", await Server.Tenant(HttpMethod.Get, "/readyz"), HttpStatusCode.OK);
        await Check("/v1/subjects/{subject}/consent", "put", await Server.Tenant(HttpMethod.Put, $"/v1/subjects/{subject}/consent",
            new StringContent("{\"basis\": \"explicit_consent\", \"notice\": \"v3\"}", Encoding.UTF8, "application/json"), key), HttpStatusCode.OK);
        await Check("/v1/subjects/{subject}/templates", "post",
            await Server.Tenant(HttpMethod.Post, $"/v1/subjects/{subject}/templates", ServerHarness.Raw(Photo("img1.jpg")), key), HttpStatusCode.Created);
        await Check("/v1/subjects/{subject}/verify", "post",
            await Server.Tenant(HttpMethod.Post, $"/v1/subjects/{subject}/verify", ServerHarness.Raw(Photo("img2.jpg")), key), HttpStatusCode.OK);
        await Check("/v1/identify", "post", await Server.Tenant(HttpMethod.Post, "/v1/identify", ServerHarness.Raw(Photo("img2.jpg")), key), HttpStatusCode.OK);
        await Check("/v1/identify", "post", await Server.Tenant(HttpMethod.Post, "/v1/identify?threshold=0.9999", ServerHarness.Raw(Photo("img2.jpg")), key), HttpStatusCode.OK);
        await Check("/v1/compare", "post", await Server.Tenant(HttpMethod.Post, "/v1/compare",
            ProblemResponseTests.Multipart(("a", Photo("img1.jpg")), ("b", Photo("img2.jpg"))), key), HttpStatusCode.OK);
        await Check("/v1/subjects", "get", await Server.Tenant(HttpMethod.Get, "/v1/subjects", key: key), HttpStatusCode.OK);
        await Check("/v1/subjects/{subject}", "get", await Server.Tenant(HttpMethod.Get, $"/v1/subjects/{subject}", key: key), HttpStatusCode.OK);
        await Check("/v1/subjects/{subject}/templates", "get", await Server.Tenant(HttpMethod.Get, $"/v1/subjects/{subject}/templates", key: key), HttpStatusCode.OK);
        await Check("/v1/subjects/{subject}/export", "get", await Server.Tenant(HttpMethod.Get, $"/v1/subjects/{subject}/export", key: key), HttpStatusCode.OK);
        using var recipient = RSA.Create(2048);
        var pem = Uri.EscapeDataString(recipient.ExportSubjectPublicKeyInfoPem());
        await Check("/v1/subjects/{subject}/export", "get",
            await Server.Tenant(HttpMethod.Get, $"/v1/subjects/{subject}/export?recipient_key={pem}", key: key), HttpStatusCode.OK);
        await Check("/v1/audit", "get", await Server.Tenant(HttpMethod.Get, "/v1/audit", key: key), HttpStatusCode.OK);

        Assert.Equal(
            ["compare", "enroll", "exportAudit", "exportSubject", "getSubject", "health", "identify", "listSubjects", "listTemplates", "ready", "recordConsent", "verify"],
            checkedOperations.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_api_page_loads_only_assets_of_the_service_under_a_strict_content_security_policy()
    {
        using var page = await Server.Tenant(HttpMethod.Get, "/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var policy = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("script-src 'self';", policy);

        var html = await page.Content.ReadAsStringAsync();
        var assets = AssetReference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.True(assets.Count >= 4, $"found {assets.Count} assets");
        foreach (var asset in assets)
        {
            Assert.DoesNotContain("//", asset);
            using var response = await Server.Tenant(HttpMethod.Get, new Uri(new Uri("http://page/docs/"), asset).AbsolutePath);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {(int)response.StatusCode}");
        }

        // The page's script points at this service's document, not at one elsewhere.
        using var script = await Server.Tenant(HttpMethod.Get, "/docs/index.js");
        Assert.Contains("\"url\":\"/openapi/v1.json\"", await script.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> Document(Func<HttpMethod, string, HttpContent?, string?, Task<HttpResponseMessage>> listener, string path)
    {
        using var response = await listener(HttpMethod.Get, path, null, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await ServerHarness.JsonOf(response);
    }

    private static IEnumerable<string> Paths(JsonElement document) => document.GetProperty("paths").EnumerateObject().Select(p => p.Name);

    [GeneratedRegex("""(?:src|href)="(?<url>[^"]+)""")]
    private static partial Regex AssetReference();
}

/// <summary>
/// Checks a JSON value against an OpenAPI 3.1 schema strictly: types (with null), required members, and no member the
/// schema does not name. Enough of JSON Schema for the service's documents; <c>$ref</c>s are followed.
/// </summary>
internal static class SchemaConformance
{
    public static void Check(JsonElement value, JsonElement schema, JsonElement document, string at, List<string> violations)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var target = document;
            foreach (var segment in reference.GetString()!.TrimStart('#', '/').Split('/')) target = target.GetProperty(segment);
            Check(value, target, document, at, violations);
            return;
        }
        var types = TypesOf(schema);
        if (types.Count > 0 && !types.Contains(KindOf(value)) && !(KindOf(value) == "integer" && types.Contains("number")))
        {
            violations.Add($"{at} is {KindOf(value)}, not {string.Join("|", types)}");
            return;
        }
        if (value.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties))
        {
            if (schema.TryGetProperty("required", out var required))
                foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(name => !value.TryGetProperty(name, out _)))
                    violations.Add($"{at}.{name} is missing");
            foreach (var member in value.EnumerateObject())
            {
                if (properties.TryGetProperty(member.Name, out var memberSchema)) Check(member.Value, memberSchema, document, $"{at}.{member.Name}", violations);
                else violations.Add($"{at}.{member.Name} is not documented");
            }
        }
        else if (value.ValueKind == JsonValueKind.Object && schema.TryGetProperty("additionalProperties", out var additional))
        {
            foreach (var member in value.EnumerateObject()) Check(member.Value, additional, document, $"{at}.{member.Name}", violations);
        }
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray()) Check(item, items, document, $"{at}[{index++}]", violations);
        }
    }

    private static List<string> TypesOf(JsonElement schema) => !schema.TryGetProperty("type", out var type)
        ? []
        : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];

    private static string KindOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
