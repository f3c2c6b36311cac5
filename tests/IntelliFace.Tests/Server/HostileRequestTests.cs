using System.Net;
using System.Text;
using System.Text.Json;
using IntelliFace.Tests.EndToEnd;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;
using static IntelliFace.Tests.Server.ProblemAssertions;

namespace IntelliFace.Tests.Server;

/// <summary>
/// Hostile requests, written byte for byte, against every endpoint that reads a body, path or query: each one gets its
/// 4xx problem+json with the contract's code, never a 5xx or a dropped connection, and the service keeps serving.
/// </summary>
public sealed class HostileRequestTests(HostileServerFixture fixture, ITestOutputHelper output) : IClassFixture<HostileServerFixture>
{
    private const int Mutants = 300;
    private const int MiB = 1024 * 1024;

    private ServerHarness Server => fixture.Harness;

    public static TheoryData<string> CaseNames => [.. HostileCases.All.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_hostile_request_gets_its_problem_and_the_service_keeps_serving(string name)
    {
        var hostile = HostileCases.All[name];
        var key = hostile.Operator ? Server.OperatorKey : Server.TenantKey;
        using var response = await RawHttp.SendAsync(hostile.Operator ? Server.Server.OperatorApi : Server.Server.TenantApi, hostile.Method, hostile.Target,
            hostile.Headers.Any(h => h.StartsWith("Authorization:", StringComparison.Ordinal)) ? hostile.Headers : [$"Authorization: Bearer {key}", .. hostile.Headers],
            hostile.Body, hostile.ContentLength);
        if (hostile.Method == "HEAD")
        {
            Assert.Equal(hostile.Status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        else
        {
            await AssertProblem(response, hostile.Status, hostile.Code, hostile.Instance);
            // A refusal names what is wrong without echoing what was sent.
            if (hostile.Body.Length >= 16) Assert.DoesNotContain(Encoding.UTF8.GetString(hostile.Body), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await AssertStillServes();
    }

    /// <summary>Kestrel refuses what is not HTTP, or past its own limits, before the service sees it: a bare 4xx, then
    /// the connection closes.</summary>
    [Theory]
    [InlineData("GET", "/v1/subjects/%00", "", 400)]
    [InlineData("POST", "/v1/subjects/%00/templates", "Content-Type: image/jpeg", 400)]
    [InlineData("DELETE", "/v1/subjects/a%00b", "", 400)]
    [InlineData("GET", "/v1/subjects/\u00e9", "", 400)]
    [InlineData("POST", "/v1/identify", "Content-Length: 12abc", 400)]
    [InlineData("POST", "/v1/identify", "Content-Length: 4\nContent-Length: 5", 400)]
    [InlineData("GET", "/v1/subjects", "X-Note: caf\u00e9", 400)]
    [InlineData("GET", "/v1/subjects", "A header without a colon", 400)]
    [InlineData("GET", "/v1/subjects?padding=LONG", "", 414)]
    [InlineData("GET", "/v1/subjects", "X-Padding: LONG", 431)]
    public async Task A_request_that_is_not_HTTP_gets_a_bare_4xx_from_the_server_and_the_service_keeps_serving(string method, string target, string headers, int status)
    {
        var tooLong = new string('p', 40 * 1024);
        var lines = headers.Replace("LONG", tooLong, StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var declaresLength = lines.Any(l => l.StartsWith("Content-Length", StringComparison.Ordinal));
        using var response = await RawHttp.SendAsync(Server.Server.TenantApi, method, target.Replace("LONG", tooLong, StringComparison.Ordinal),
            [$"Authorization: Bearer {Server.TenantKey}", .. lines], "AAAA"u8.ToArray(), declaresLength ? -1 : null);
        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        await AssertStillServes();
    }

    /// <summary>The service reads forms itself, section by section; should anything use the framework's form reader, a
    /// form the service accepts stays under the threshold past which that reader spills to a temporary file.</summary>
    [Fact]
    public void The_frameworks_form_reader_would_keep_every_acceptable_form_in_memory()
    {
        var form = Server.Server.Services.GetRequiredService<IOptions<FormOptions>>().Value;
        Assert.False(form.BufferBody);
        Assert.Equal(56 * MiB, form.MultipartBodyLengthLimit);
        Assert.True(form.MemoryBufferThreshold >= form.MultipartBodyLengthLimit, $"{form.MemoryBufferThreshold} < {form.MultipartBodyLengthLimit}");
        Assert.True(form.BufferBodyLengthLimit <= form.MemoryBufferThreshold, $"{form.BufferBodyLengthLimit} > {form.MemoryBufferThreshold}");
    }

    [Fact]
    public async Task A_body_shorter_than_its_Content_Length_is_408_once_it_stops_arriving_instead_of_hanging()
    {
        var photo = RawHttp.SendAsync(Server.Server.TenantApi, "POST", "/v1/identify", [$"Authorization: Bearer {Server.TenantKey}", "Content-Type: application/json"],
            """{"photo": "AAAA"}"""u8.ToArray(), 1000);
        var document = RawHttp.SendAsync(Server.Server.OperatorApi, "POST", "/ops/v1/tenants", [$"Authorization: Bearer {Server.OperatorKey}", "Content-Type: application/json"],
            """{"tenant": "slow"}"""u8.ToArray(), 1000);
        using var photoAnswer = await photo;
        using var documentAnswer = await document;
        await AssertProblem(photoAnswer, HttpStatusCode.RequestTimeout, "invalid_argument", "/v1/identify");
        await AssertProblem(documentAnswer, HttpStatusCode.RequestTimeout, "invalid_argument", "/ops/v1/tenants");
        await AssertStillServes();
    }

    public static TheoryData<string> HugeBodyNames => [.. HugeBodies.Keys];

    [Theory]
    [MemberData(nameof(HugeBodyNames))]
    public async Task A_body_over_the_endpoints_limit_is_413_image_too_large(string name)
    {
        var (isOperator, method, path, content) = HugeBodies[name];
        var request = new HttpMethod(method);
        using var response = isOperator
            ? await Server.Operator(request, path, content(), Server.OperatorKey)
            : await Server.Tenant(request, path, content(), Server.TenantKey);
        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, "image_too_large", path);
        await AssertStillServes();
    }

    /// <summary>Just past each limit: what is past it is read and dropped (up to 4 MiB more), so the client gets the 413.</summary>
    private static readonly Dictionary<string, (bool Operator, string Method, string Path, Func<HttpContent> Content)> HugeBodies = new()
    {
        ["enroll raw 20 MiB + 1 with its length"] = (false, "POST", "/v1/subjects/hostile/templates", () => new GeneratedContent(20 * MiB + 1, "image/jpeg", chunked: false)),
        ["verify raw 21 MiB chunked"] = (false, "POST", "/v1/subjects/hostile/verify", () => new GeneratedContent(21 * MiB, "application/octet-stream")),
        ["identify multipart 29 MiB chunked"] = (false, "POST", "/v1/identify", () => new GeneratedContent(29 * MiB, "multipart/form-data; boundary=b",
            "--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\n")),
        ["enroll JSON 29 MiB chunked"] = (false, "POST", "/v1/subjects/hostile/templates", () => new GeneratedContent(29 * MiB, "application/json", "{\"photo\": \"")),
        ["verify multipart part over 20 MiB"] = (false, "POST", "/v1/subjects/hostile/verify", () => new GeneratedContent(21 * MiB, "multipart/form-data; boundary=b",
            "--b\r\nContent-Disposition: form-data; name=\"photo\"\r\n\r\n", "\r\n--b--\r\n", chunked: false)),
        ["identify JSON base64 of more than 20 MiB"] = (false, "POST", "/v1/identify", () => new GeneratedContent(27 * MiB + 500_000, "application/json", "{\"photo\": \"", "\"}")),
        ["compare JSON 57 MiB chunked"] = (false, "POST", "/v1/compare", () => new GeneratedContent(57 * MiB, "application/json", "{\"a\": \"")),
        ["compare multipart 57 MiB with its length"] = (false, "POST", "/v1/compare", () => new GeneratedContent(57 * MiB, "multipart/form-data; boundary=b",
            "--b\r\nContent-Disposition: form-data; name=\"c\"\r\n\r\n", chunked: false)),
        ["consent 1 MiB + 1 chunked"] = (false, "PUT", "/v1/subjects/hostile/consent", () => new GeneratedContent(MiB + 1, "application/json", "{\"basis\": \"")),
        ["create tenant 1 MiB + 1 with its length"] = (true, "POST", "/ops/v1/tenants", () => new GeneratedContent(MiB + 1, "application/json", "{\"tenant\": \"", "\"}", chunked: false)),
        ["tenant policy 1 MiB + 1 chunked"] = (true, "PUT", "/ops/v1/tenants/acme/policy", () => new GeneratedContent(MiB + 1, "application/json", "{\"consent_required\": \"")),
        ["create api key 1 MiB + 1 chunked"] = (true, "POST", "/ops/v1/tenants/acme/apikeys", () => new GeneratedContent(MiB + 1, "application/json", "{\"scopes\": [\"")),
        ["break-glass request 1 MiB + 1 chunked"] = (true, "POST", "/ops/v1/breakglass", () => new GeneratedContent(MiB + 1, "application/json", "{\"reason\": \"")),
        ["break-glass use 1 MiB + 1 chunked"] = (true, "POST", "/ops/v1/breakglass/g/use", () => new GeneratedContent(MiB + 1, "application/json", "{\"tenant\": \"")),
    };

    [Fact]
    public async Task Seeded_mutations_of_valid_requests_never_get_a_5xx_or_a_malformed_refusal()
    {
        var seeds = MutationSeeds();
        var mutator = new BodyMutator(20261204);
        // Drawn in order, so the same seed makes the same mutants whatever order they are answered in.
        var mutants = Enumerable.Range(0, Mutants)
            .Select(i => (Index: i, Seed: seeds[i % seeds.Length], Body: mutator.Mutate(seeds[i % seeds.Length].Body), Type: mutator.MaybeMutate(seeds[i % seeds.Length].Type)))
            .ToArray();
        var answers = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var started = System.Diagnostics.Stopwatch.StartNew();
        // Four at a time: requests that share the server's buffers and connections as real clients do.
        await Parallel.ForEachAsync(mutants, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (mutant, _) =>
        {
            var (isOperator, method, path, _, _) = mutant.Seed;
            var content = new ByteArrayContent(mutant.Body);
            content.Headers.TryAddWithoutValidation("Content-Type", mutant.Type);
            var sent = isOperator
                ? Server.Operator(new HttpMethod(method), path, content, Server.OperatorKey)
                : Server.Tenant(new HttpMethod(method), path, content, Server.TenantKey);
            using var response = await sent.WaitAsync(TimeSpan.FromSeconds(30));
            var code = await AssertAnswer(response, $"mutant {mutant.Index} of {method} {path}");
            answers.AddOrUpdate($"{(int)response.StatusCode} {code}", 1, (_, count) => count + 1);
        });
        output.WriteLine($"{Mutants} mutants in {started.Elapsed.TotalSeconds:F1} s: {string.Join(", ", answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} x{a.Value}"))}");

        using var valid = await Server.Tenant(HttpMethod.Post, "/v1/identify", ServerHarness.Raw(File.ReadAllBytes(DeepFacePhotos.PathOf("img1.jpg"))), Server.TenantKey);
        var identify = await ServerHarness.JsonOf(valid);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal(HostileServerFixture.Subject, identify.GetProperty("match").GetString());
        // The mutants reached past the parsers: refusals of several kinds, and some mutants still valid.
        Assert.Contains(answers.Keys, k => k.StartsWith("400 ", StringComparison.Ordinal));
        Assert.Contains(answers.Keys, k => k.StartsWith("415 unsupported_format", StringComparison.Ordinal) || k.StartsWith("422 ", StringComparison.Ordinal));
        Assert.Contains(answers.Keys, k => k[0] == '2');
    }

    /// <summary>A 2xx, or a 4xx problem whose code is one of the contract's for that status; returns the code ("" for a 2xx).</summary>
    private static async Task<string> AssertAnswer(HttpResponseMessage response, string what)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        if (status is >= 200 and < 300) return "";
        Assert.True(status is >= 400 and < 500, $"{what}: {status} {body}");
        Assert.True(ContractCodes.TryGetValue(status, out var codes), $"{what}: {status} is no status of the contract");
        var problem = await AssertProblem(response, response.StatusCode, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString()!, response.RequestMessage!.RequestUri!.AbsolutePath);
        var code = problem.GetProperty("code").GetString()!;
        Assert.True(codes.Contains(code), $"{what}: {status} with code {code}");
        return code;
    }

    /// <summary>The 4xx codes of the contract (docs/http-api.md, Errors), by status.</summary>
    private static readonly Dictionary<int, string[]> ContractCodes = new()
    {
        [400] = ["invalid_argument"],
        [401] = ["unauthorized"],
        [403] = ["forbidden", "tenant_suspended", "self_approval", "grant_not_approved", "grant_expired"],
        [404] = ["not_found", "unknown_subject", "unknown_tenant", "unknown_grant", "unknown_credential"],
        [405] = ["method_not_allowed"],
        [409] = ["model_mismatch", "tenant_exists", "consent_required"],
        [413] = ["image_too_large"],
        [415] = ["unsupported_media_type", "unsupported_format"],
        [422] = ["no_face", "multiple_faces", "face_too_small", "corrupt_image"],
        [429] = ["rate_limited"],
    };

    /// <summary>One valid request per kind of body, photos small so that mutants that still decode stay cheap.</summary>
    private static (bool Operator, string Method, string Path, string Type, byte[] Body)[] MutationSeeds()
    {
        var jpeg = ScaledPhoto.Jpeg("img1.jpg", 0.15);
        var png = ScaledPhoto.Png("img2.jpg", 0.2);
        using var multipart = ProblemResponseTests.Multipart(("photo", jpeg));
        var multipartBody = multipart.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
        const string Json = "application/json";
        return
        [
            (false, "POST", "/v1/subjects/mutant/templates", Json, Utf8($$"""{"photo": "{{Convert.ToBase64String(jpeg)}}"}""")),
            (false, "POST", $"/v1/subjects/{HostileServerFixture.Subject}/verify", multipart.Headers.ContentType!.ToString(), multipartBody),
            (false, "POST", "/v1/identify?top=3", "image/png", png),
            (false, "POST", "/v1/compare", Json, Utf8($$"""{"a": "{{Convert.ToBase64String(jpeg)}}", "b": "data:image/png;base64,{{Convert.ToBase64String(png)}}"}""")),
            (false, "PUT", $"/v1/subjects/{HostileServerFixture.Subject}/consent", Json, Utf8("""{"basis": "explicit_consent", "notice": "v2", "given_utc": "2026-01-02T03:04:05Z"}""")),
            (true, "POST", "/ops/v1/tenants", Json, Utf8("""{"tenant": "mutant", "consent_required": true, "retention_days": 30}""")),
            (true, "PUT", "/ops/v1/tenants/mutant/policy", Json, Utf8("""{"consent_required": false, "retention_days": 365}""")),
            (true, "POST", "/ops/v1/tenants/mutant/apikeys", Json, Utf8("""{"scopes": ["enroll", "recognise"]}""")),
            (true, "POST", "/ops/v1/breakglass", Json, Utf8("""{"tenant": "acme", "reason": "incident", "ticket": "INC-1", "operations": ["subjects.list"], "minutes": 5}""")),
            (true, "POST", "/ops/v1/breakglass/nogrant/use", Json, Utf8("""{"tenant": "acme", "operation": "subject.export", "subject": "hostile"}""")),
        ];
    }

    private async Task AssertStillServes()
    {
        using var after = await Server.Tenant(HttpMethod.Get, "/v1/subjects", key: Server.TenantKey);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}

/// <summary>One hostile request and the answer the contract gives it.</summary>
/// <param name="Operator">Sent to the operator API with an operator key; else to the tenant API with a tenant key.</param>
/// <param name="ContentLength">What the request declares, when it lies; see <see cref="RawHttp.SendAsync"/>.</param>
internal sealed record HostileCase(bool Operator, string Method, string Target, string[] Headers, byte[] Body, HttpStatusCode Status, string Code,
    long? ContentLength = null)
{
    /// <summary>The problem's <c>instance</c>: the path as the server saw it, without the query.</summary>
    public string Instance { get; init; } = Target.Split('?')[0];
}

/// <summary>The table of hostile requests, by name.</summary>
internal static class HostileCases
{
    private const string Json = "Content-Type: application/json";
    private const string Boundary = "hostile-boundary";
    private const string MultipartType = $"Content-Type: multipart/form-data; boundary={Boundary}";
    private const HttpStatusCode BadRequest = HttpStatusCode.BadRequest;
    private const string InvalidArgument = "invalid_argument";

    /// <summary>The endpoints that read photos, and the names their photos go by.</summary>
    private static readonly (string Name, string Path, string[] Photos)[] PhotoEndpoints =
    [
        ("enroll", "/v1/subjects/hostile/templates", ["photo"]),
        ("verify", "/v1/subjects/hostile/verify", ["photo"]),
        ("identify", "/v1/identify", ["photo"]),
        ("compare", "/v1/compare", ["a", "b"]),
    ];

    /// <summary>The endpoints that read a JSON document: a body each accepts once '%' is replaced by its first member's value.</summary>
    private static readonly (string Name, bool Operator, string Method, string Path, string Shape, string First)[] DocumentEndpoints =
    [
        ("consent", false, "PUT", "/v1/subjects/hostile/consent", """{"basis": %, "notice": "v1"}""", "\"explicit_consent\""),
        ("create tenant", true, "POST", "/ops/v1/tenants", """{"tenant": %}""", "\"hostile-new\""),
        ("tenant policy", true, "PUT", "/ops/v1/tenants/acme/policy", """{"consent_required": %, "retention_days": null}""", "false"),
        ("create api key", true, "POST", "/ops/v1/tenants/acme/apikeys", """{"scopes": %}""", """["enroll"]"""),
        ("break-glass request", true, "POST", "/ops/v1/breakglass", """{"tenant": %, "reason": "r", "ticket": "t", "operations": ["subjects.list"]}""", "\"acme\""),
        ("break-glass use", true, "POST", "/ops/v1/breakglass/nogrant/use", """{"tenant": %, "operation": "subjects.list"}""", "\"acme\""),
    ];

    public static IReadOnlyDictionary<string, HostileCase> All { get; } = Build();

    private static Dictionary<string, HostileCase> Build()
    {
        var cases = new Dictionary<string, HostileCase>();
        void Add(string name, HostileCase hostile) => cases.Add(name, hostile);

        foreach (var (endpoint, path, photos) in PhotoEndpoints)
        {
            HostileCase Photo(string[] headers, byte[] body, HttpStatusCode status, string code) => new(false, "POST", path, headers, body, status, code);
            HostileCase Refused(string[] headers, string body) => Photo(headers, Encoding.UTF8.GetBytes(body), BadRequest, InvalidArgument);
            HostileCase Unsupported(string[] headers, string body) =>
                Photo(headers, Encoding.UTF8.GetBytes(body), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
            // Every photo property of the endpoint set to the same JSON value.
            string Properties(string value) => "{" + string.Join(", ", photos.Select(p => $"\"{p}\": {value}")) + "}";
            string Part(string name) => $"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\nAAAA\r\n";
            var allParts = string.Concat(photos.Select(Part));

            Add($"{endpoint}: text/plain", Unsupported(["Content-Type: text/plain"], "hello"));
            Add($"{endpoint}: application/xml", Unsupported(["Content-Type: application/xml"], "<photo>AAAA</photo>"));
            Add($"{endpoint}: multipart/mixed", Unsupported([$"Content-Type: multipart/mixed; boundary={Boundary}"], allParts + $"--{Boundary}--\r\n"));
            Add($"{endpoint}: application/problem+json", Unsupported(["Content-Type: application/problem+json"], Properties("\"AAAA\"")));
            Add($"{endpoint}: no Content-Type", Unsupported([], "AAAA"));
            Add($"{endpoint}: a Content-Type that does not parse", Unsupported(["Content-Type: ;;;"], "AAAA"));
            Add($"{endpoint}: multipart without a boundary", Refused(["Content-Type: multipart/form-data"], allParts + $"--{Boundary}--\r\n"));
            Add($"{endpoint}: multipart with an empty boundary", Refused(["Content-Type: multipart/form-data; boundary=\"\""], allParts + $"--{Boundary}--\r\n"));
            Add($"{endpoint}: multipart with a 300-character boundary", Refused([$"Content-Type: multipart/form-data; boundary={new string('b', 300)}"], allParts));
            Add($"{endpoint}: multipart whose boundary never appears", Refused([MultipartType], "just some bytes, no boundary at all\r\n"));
            Add($"{endpoint}: multipart with an empty body", Refused([MultipartType], ""));
            Add($"{endpoint}: multipart cut off inside a part", Refused([MultipartType], $"--{Boundary}\r\nContent-Disposition: form-data; name=\"{photos[0]}\"\r\n\r\nAAAA"));
            Add($"{endpoint}: multipart cut off inside the part headers", Refused([MultipartType], $"--{Boundary}\r\nContent-Disposition: form-da"));
            Add($"{endpoint}: multipart with no closing boundary", Refused([MultipartType], allParts));
            Add($"{endpoint}: multipart part with the wrong name", Refused([MultipartType], Part("picture") + $"--{Boundary}--\r\n"));
            Add($"{endpoint}: multipart part without a Content-Disposition",
                Refused([MultipartType], $"--{Boundary}\r\nContent-Type: image/jpeg\r\n\r\nAAAA\r\n--{Boundary}--\r\n"));
            Add($"{endpoint}: multipart with two parts of the same name", Refused([MultipartType], allParts + Part(photos[0]) + $"--{Boundary}--\r\n"));
            Add($"{endpoint}: multipart part with 20 headers",
                Refused([MultipartType], $"--{Boundary}\r\n{string.Concat(Enumerable.Range(0, 20).Select(i => $"X-H{i}: x\r\n"))}\r\nAAAA\r\n--{Boundary}--\r\n"));
            Add($"{endpoint}: multipart part header of 20,000 bytes",
                Refused([MultipartType], $"--{Boundary}\r\nX-Long: {new string('x', 20_000)}\r\n\r\nAAAA\r\n--{Boundary}--\r\n"));

            Add($"{endpoint}: JSON with an empty body", Refused([Json], ""));
            Add($"{endpoint}: JSON photo is a number", Refused([Json], Properties("5")));
            Add($"{endpoint}: JSON photo is null", Refused([Json], Properties("null")));
            Add($"{endpoint}: JSON photo is an object", Refused([Json], Properties("""{"data": "AAAA"}""")));
            Add($"{endpoint}: JSON photo is an array", Refused([Json], Properties("""["AAAA"]""")));
            Add($"{endpoint}: JSON body is an array", Refused([Json], "[]"));
            Add($"{endpoint}: JSON body is a string", Refused([Json], "\"str\""));
            Add($"{endpoint}: JSON body is null", Refused([Json], "null"));
            Add($"{endpoint}: JSON with unknown members only", Refused([Json], """{"extra": 1, "more": {"x": [1, 2]}}"""));
            Add($"{endpoint}: JSON with a duplicate photo", Refused([Json], Properties("\"AAAA\"")[..^1] + $", \"{photos[0]}\": \"AAAA\"}}"));
            Add($"{endpoint}: JSON cut off", Refused([Json], $"{{\"{photos[0]}\": \"AAA"));
            Add($"{endpoint}: JSON nested 1000 levels", Refused([Json], $"{{\"x\": {new string('[', 1000)}{new string(']', 1000)}}}"));
            Add($"{endpoint}: JSON photo nested 1000 levels", Refused([Json], Properties(new string('[', 1000) + new string(']', 1000))));
            Add($"{endpoint}: JSON with a byte-order mark", Photo([Json], [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Properties("\"AAAA\""))], BadRequest, InvalidArgument));
            Add($"{endpoint}: JSON that is invalid UTF-8", Photo([Json], [(byte)'{', 0xFF, 0xFE, (byte)'}'], BadRequest, InvalidArgument));
            Add($"{endpoint}: JSON photo that is invalid UTF-8",
                Photo([Json], Encoding.UTF8.GetBytes(Properties("\"AA\u0001\"")).Select(b => b == 1 ? (byte)0xC3 : b).ToArray(), BadRequest, InvalidArgument));
            Add($"{endpoint}: JSON in UTF-16", Photo(["Content-Type: application/json; charset=utf-16"], Encoding.Unicode.GetBytes(Properties("\"AAAA\"")), BadRequest, InvalidArgument));
            Add($"{endpoint}: JSON followed by another document", Refused([Json], Properties("\"AAAA\"") + " {}"));

            Add($"{endpoint}: base64 with bad characters", Refused([Json], Properties("\"****\"")));
            Add($"{endpoint}: base64 with padding inside", Refused([Json], Properties("\"AA=A\"")));
            Add($"{endpoint}: base64 of an impossible length", Refused([Json], Properties("\"AAAAA\"")));
            Add($"{endpoint}: base64 with an escaped NUL", Refused([Json], Properties("\"AA\\u0000A\"")));
            Add($"{endpoint}: base64 empty string", Refused([Json], Properties("\"\"")));
            Add($"{endpoint}: data URL without a comma", Refused([Json], Properties("\"data:image/png;base64\"")));
            Add($"{endpoint}: data URL that is not base64", Refused([Json], Properties("\"data:image/png,AAAA\"")));
            Add($"{endpoint}: data URL of text/html", Refused([Json], Properties("\"data:text/html;base64,PGh0bWw+PC9odG1sPg==\"")));
            Add($"{endpoint}: data URL with nothing after the comma", Refused([Json], Properties("\"data:image/png;base64,\"")));
            Add($"{endpoint}: a URL instead of a photo", Refused([Json], Properties("\"https://example.com/photo.jpg\"")));
            Add($"{endpoint}: a server path instead of a photo", Refused([Json], Properties("\"file:///etc/passwd\"")));
            Add($"{endpoint}: base64 written with JSON escapes of bytes that are no image",
                Photo([Json], Encoding.UTF8.GetBytes(Properties("\"\\u0041AA\\/\"")), HttpStatusCode.UnsupportedMediaType, "unsupported_format"));
            Add($"{endpoint}: base64 with whitespace of bytes that are no image",
                Photo([Json], Encoding.UTF8.GetBytes(Properties("\"AAAA AAAA\\nAAAA\\tAAAA\"")), HttpStatusCode.UnsupportedMediaType, "unsupported_format"));

            if (photos.Length == 1)
            {
                Add($"{endpoint}: raw body that is empty", Photo(["Content-Type: image/jpeg"], [], BadRequest, InvalidArgument));
                Add($"{endpoint}: raw body of HTML", Photo(["Content-Type: image/png"], Encoding.UTF8.GetBytes("<html></html>"), HttpStatusCode.UnsupportedMediaType, "unsupported_format"));
                Add($"{endpoint}: image/* with a bogus parameter", Photo(["Content-Type: image/jpeg; q=\"unterminated"], Encoding.UTF8.GetBytes("AAAA"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"));
            }
            else
            {
                Add($"{endpoint}: raw body", Unsupported(["Content-Type: image/jpeg"], "AAAA"));
            }

            Add($"{endpoint}: Content-Length shorter than the body", Photo([Json], Encoding.UTF8.GetBytes(Properties("\"AAAA\"")), BadRequest, InvalidArgument)
                with { ContentLength = 5 });
            Add($"{endpoint}: chunked with a chunk size that overflows", Photo([MultipartType, "Transfer-Encoding: chunked"],
                Encoding.ASCII.GetBytes($"FFFFFFFFFFFFFFFFFFFF\r\n{allParts}\r\n0\r\n\r\n"), BadRequest, InvalidArgument) with { ContentLength = -1 });
            Add($"{endpoint}: Content-Length far over the limit", Photo([Json], Encoding.UTF8.GetBytes(Properties("\"AAAA\"")), HttpStatusCode.RequestEntityTooLarge, "image_too_large")
                with { ContentLength = 200L * 1024 * 1024 });
        }

        foreach (var (endpoint, isOperator, method, path, shape, first) in DocumentEndpoints)
        {
            HostileCase Document(string[] headers, byte[] body, HttpStatusCode status, string code) => new(isOperator, method, path, headers, body, status, code);
            HostileCase Refused(string body) => Document([Json], Encoding.UTF8.GetBytes(body), BadRequest, InvalidArgument);
            string First(string value) => shape.Replace("%", value, StringComparison.Ordinal);
            var valid = First(first);

            Add($"{endpoint}: text/plain", Document(["Content-Type: text/plain"], Encoding.UTF8.GetBytes(valid), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"));
            Add($"{endpoint}: application/xml", Document(["Content-Type: application/xml"], Encoding.UTF8.GetBytes(valid), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"));
            Add($"{endpoint}: no Content-Type", Document([], Encoding.UTF8.GetBytes(valid), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"));
            Add($"{endpoint}: multipart", Document([MultipartType], Encoding.UTF8.GetBytes($"--{Boundary}--\r\n"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"));
            Add($"{endpoint}: application/x-www-form-urlencoded", Document(["Content-Type: application/x-www-form-urlencoded"], Encoding.UTF8.GetBytes("tenant=x"),
                HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"));
            Add($"{endpoint}: empty body", Refused(""));
            Add($"{endpoint}: null", Refused("null"));
            Add($"{endpoint}: an array", Refused("[]"));
            Add($"{endpoint}: a string", Refused("\"str\""));
            Add($"{endpoint}: an empty object", Refused("{}"));
            Add($"{endpoint}: first member a number", Refused(First("5")));
            Add($"{endpoint}: first member null", Refused(First("null")));
            Add($"{endpoint}: first member an object", Refused(First("""{"$ref": "#"}""")));
            Add($"{endpoint}: an unknown member", Refused(valid[..^1] + ", \"bogus\": 1}"));
            Add($"{endpoint}: a duplicate member", Refused(valid[..^1] + ", " + valid[1..]));
            Add($"{endpoint}: cut off", Refused(valid[..(valid.Length / 2)]));
            Add($"{endpoint}: nested 1000 levels", Refused(First(new string('[', 1000) + new string(']', 1000))));
            Add($"{endpoint}: invalid UTF-8 in a string", Document([Json], Encoding.UTF8.GetBytes(First("\"a\u0001b\"")).Select(b => b == 1 ? (byte)0xFF : b).ToArray(), BadRequest, InvalidArgument));
            Add($"{endpoint}: trailing garbage", Refused(valid + " garbage"));
            Add($"{endpoint}: chunked with a chunk size that overflows", Document([Json, "Transfer-Encoding: chunked"],
                Encoding.ASCII.GetBytes("FFFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n"), BadRequest, InvalidArgument) with { ContentLength = -1 });
            Add($"{endpoint}: Content-Length far over the limit", Document([Json], Encoding.UTF8.GetBytes(valid), HttpStatusCode.RequestEntityTooLarge, "image_too_large")
                with { ContentLength = 50L * 1024 * 1024 });
        }

        HostileCase TenantGet(string target, HttpStatusCode status, string code) => new(false, "GET", target, [], [], status, code);
        HostileCase OperatorCall(string method, string target, HttpStatusCode status, string code) => new(true, method, target, [], [], status, code);
        var photo = File.ReadAllBytes(DeepFacePhotos.PathOf("img2.jpg"));
        HostileCase Identify(string query, HttpStatusCode status = BadRequest, string code = InvalidArgument) =>
            new(false, "POST", $"/v1/identify?{query}", ["Content-Type: image/jpeg"], photo, status, code);

        Add("identify: top=0", Identify("top=0"));
        Add("identify: top=101", Identify("top=101"));
        Add("identify: top=-1", Identify("top=-1"));
        Add("identify: top=abc", Identify("top=abc"));
        Add("identify: top empty", Identify("top="));
        Add("identify: top=1e2", Identify("top=1e2"));
        Add("identify: top=99999999999", Identify("top=99999999999"));
        Add("identify: top=1&top=2", Identify("top=1&top=2"));
        Add("identify: top=%00", Identify("top=%00"));
        Add("identify: threshold=NaN", Identify("threshold=NaN"));
        Add("identify: threshold=Infinity", Identify("threshold=Infinity"));
        Add("identify: threshold=abc", Identify("threshold=abc"));
        Add("identify: threshold=-1", Identify("threshold=-1"));
        Add("identify: threshold=1e-1", Identify("threshold=1e-1"));
        Add("identify: threshold=0.5&threshold=0.95", Identify("threshold=0.5&threshold=0.95"));
        Add("identify: threshold=2", Identify("threshold=2"));
        Add("audit: after=-1", TenantGet("/v1/audit?after=-1", BadRequest, InvalidArgument));
        Add("audit: after=abc", TenantGet("/v1/audit?after=abc", BadRequest, InvalidArgument));
        Add("audit: after=1&after=2", TenantGet("/v1/audit?after=1&after=2", BadRequest, InvalidArgument));
        Add("break-glass list: tenant=..", OperatorCall("GET", "/ops/v1/breakglass?tenant=..", BadRequest, InvalidArgument));
        Add("break-glass list: tenant twice", OperatorCall("GET", "/ops/v1/breakglass?tenant=a&tenant=b", BadRequest, InvalidArgument));

        Add("subject id of 300 characters", TenantGet($"/v1/subjects/{new string('s', 300)}", BadRequest, InvalidArgument));
        Add("subject id in unicode", TenantGet("/v1/subjects/%C3%A9l%C3%A8ve", BadRequest, InvalidArgument));
        Add("subject id of invalid UTF-8", TenantGet("/v1/subjects/%FF%FE", BadRequest, InvalidArgument));
        Add("subject id with an encoded slash", TenantGet("/v1/subjects/a%2Fb", BadRequest, InvalidArgument));
        Add("subject id ..", TenantGet("/v1/subjects/%2E%2E/templates", HttpStatusCode.NotFound, "not_found") with { Instance = "/v1/templates" });
        Add("subject path climbing out with ..", new HostileCase(false, "POST", "/v1/subjects/../../ops/v1/tenants", [Json], Encoding.UTF8.GetBytes("{}"),
            HttpStatusCode.NotFound, "not_found") { Instance = "/ops/v1/tenants" });
        Add("consent subject id of 300 characters", new HostileCase(false, "PUT", $"/v1/subjects/{new string('s', 300)}/consent", [Json],
            Encoding.UTF8.GetBytes("""{"basis": "explicit_consent", "notice": "v1"}"""), BadRequest, InvalidArgument));
        Add("tenant id of 300 characters", OperatorCall("DELETE", $"/ops/v1/tenants/{new string('t', 300)}", BadRequest, InvalidArgument));
        Add("tenant id in unicode", OperatorCall("GET", "/ops/v1/tenants/%E2%80%AEacme/apikeys", BadRequest, InvalidArgument));

        var pem = Uri.EscapeDataString("-----BEGIN PUBLIC KEY-----\nMAMCAQA=\n-----END PUBLIC KEY-----");
        using var ec = System.Security.Cryptography.ECDsa.Create();
        using var weak = System.Security.Cryptography.RSA.Create(1024);
        HostileCase Export(string key) => TenantGet($"/v1/subjects/{HostileServerFixture.Subject}/export?recipient_key={key}", BadRequest, InvalidArgument);
        Add("export: recipient key that is no PEM", Export("garbage"));
        Add("export: recipient key whose PEM holds no key", Export(pem));
        Add("export: recipient key of EC", Export(Uri.EscapeDataString(ec.ExportSubjectPublicKeyInfoPem())));
        Add("export: recipient key of RSA 1024", Export(Uri.EscapeDataString(weak.ExportSubjectPublicKeyInfoPem())));
        Add("export: recipient key twice", Export("a&recipient_key=b"));

        HostileCase Unauthorized(params string[] authorization) =>
            new(false, "GET", "/v1/subjects", [.. authorization.Select(a => $"Authorization: {a}")], [], HttpStatusCode.Unauthorized, "unauthorized");
        Add("a bearer token of 10,000 characters", Unauthorized($"Bearer ifk_{new string('a', 10_000)}"));
        Add("Bearer without a token", Unauthorized("Bearer"));
        Add("Bearer and a blank", Unauthorized("Bearer "));
        Add("two Authorization headers", Unauthorized("Bearer ifk_0123456789ab_x", "Bearer ifk_0123456789ab_y"));
        Add("an empty Authorization header", Unauthorized(""));

        HostileCase Chunked(string body) => new(false, "POST", "/v1/identify", [Json, "Transfer-Encoding: chunked"], Encoding.ASCII.GetBytes(body), BadRequest, InvalidArgument)
            { ContentLength = -1 };
        Add("chunked with a chunk size that is no number", Chunked("zz\r\nAAAA\r\n0\r\n\r\n"));
        Add("chunked with a chunk size that overflows", Chunked("FFFFFFFFFFFFFFFFFFFF\r\nAAAA\r\n0\r\n\r\n"));
        Add("chunked with a chunk longer than its size", Chunked("2\r\nAAAA\r\n0\r\n\r\n"));

        HostileCase Method(bool isOperator, string method, string target) => new(isOperator, method, target, [], [], HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Add("GET identify", Method(false, "GET", "/v1/identify"));
        Add("PUT compare", Method(false, "PUT", "/v1/compare"));
        Add("GET verify", Method(false, "GET", "/v1/subjects/hostile/verify"));
        Add("DELETE templates", Method(false, "DELETE", "/v1/subjects/hostile/templates"));
        Add("PATCH consent", Method(false, "PATCH", "/v1/subjects/hostile/consent"));
        Add("POST subjects", Method(false, "POST", "/v1/subjects"));
        Add("TRACE subjects", Method(false, "TRACE", "/v1/subjects"));
        Add("an unknown method", Method(false, "BREW", "/v1/identify"));
        Add("HEAD identify", Method(false, "HEAD", "/v1/identify"));
        Add("HEAD subjects", Method(false, "HEAD", "/v1/subjects"));
        Add("OPTIONS identify", Method(false, "OPTIONS", "/v1/identify"));
        Add("OPTIONS enroll", Method(false, "OPTIONS", "/v1/subjects/hostile/templates"));
        Add("PATCH tenants", Method(true, "PATCH", "/ops/v1/tenants"));
        Add("GET tenant policy", Method(true, "GET", "/ops/v1/tenants/acme/policy"));
        Add("HEAD tenants", Method(true, "HEAD", "/ops/v1/tenants"));
        Add("OPTIONS break-glass", Method(true, "OPTIONS", "/ops/v1/breakglass"));
        return cases;
    }
}
