using System.Net;
using System.Net.Http.Headers;
using System.Text;
using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Tests.EndToEnd;
using static IntelliFace.Tests.Server.ProblemAssertions;

namespace IntelliFace.Tests.Server;

/// <summary>Every refusal of the service, over real HTTP: its status, its problem+json body and its code.</summary>
public sealed class ProblemResponseTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerHarness Server => fixture.Harness;

    private static byte[] Photo(string file) => File.ReadAllBytes(DeepFacePhotos.PathOf(file));

    [Fact]
    public async Task A_request_without_a_key_is_401_with_a_bearer_challenge()
    {
        using var response = await Server.Tenant(HttpMethod.Get, "/v1/subjects");
        await AssertProblem(response, HttpStatusCode.Unauthorized, "unauthorized", "/v1/subjects");
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("ifk_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_malformed_or_unknown_key_is_401(string key)
    {
        using var response = await Server.Tenant(HttpMethod.Get, "/v1/subjects", key: key);
        await AssertProblem(response, HttpStatusCode.Unauthorized, "unauthorized", "/v1/subjects");
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [InlineData("/v1/identify", "not-a-key", HttpStatusCode.Unauthorized, "unauthorized")]
    [InlineData("/v1/identify?top=0", null, HttpStatusCode.BadRequest, "invalid_argument")]
    [InlineData("/v1/subjects/alice/templates", "operator", HttpStatusCode.Forbidden, "forbidden")]
    public async Task A_large_photo_refused_before_it_is_read_still_gets_its_answer_without_expect_continue(string path, string? key, HttpStatusCode status, string code)
    {
        // 6 MB of photo, sent at once as most HTTP clients do: the refusal comes before the body is read.
        var photo = new byte[6 * 1024 * 1024];
        Photo("img1.jpg").CopyTo(photo, 0);
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server.Server.TenantApi, path)) { Content = ServerHarness.Raw(photo) };
        request.Headers.ExpectContinue = false;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key switch { null => Server.TenantKey, "operator" => Server.OperatorKey, _ => key });

        using var response = await client.SendAsync(request);

        await AssertProblem(response, status, code, new Uri(Server.Server.TenantApi, path).AbsolutePath);
    }

    [Fact]
    public async Task A_key_under_another_scheme_is_401()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Server.Server.TenantApi, "/v1/subjects"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Server.TenantKey);
        using var client = new HttpClient();
        using var response = await client.SendAsync(request);
        await AssertProblem(response, HttpStatusCode.Unauthorized, "unauthorized", "/v1/subjects");
    }

    [Fact]
    public async Task A_revoked_key_is_401()
    {
        var operators = new OperatorService(Server.Vault);
        using var token = operators.CreateApiKey(new TenantId("acme"), Scopes.All);
        var key = token.Reveal();
        using (var before = await Server.Tenant(HttpMethod.Get, "/v1/subjects", key: key)) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        operators.RevokeApiKey(token.KeyId);
        using var after = await Server.Tenant(HttpMethod.Get, "/v1/subjects", key: key);
        await AssertProblem(after, HttpStatusCode.Unauthorized, "unauthorized", "/v1/subjects");
        Assert.Equal("Bearer", Assert.Single(after.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task An_operator_key_on_the_tenant_api_is_403()
    {
        using var response = await Server.Tenant(HttpMethod.Get, "/v1/subjects", key: Server.OperatorKey);
        await AssertProblem(response, HttpStatusCode.Forbidden, "forbidden", "/v1/subjects");
    }

    [Fact]
    public async Task A_tenant_key_on_the_operator_api_is_403()
    {
        using var response = await Server.Operator(HttpMethod.Get, "/ops/v1/tenants", key: Server.TenantKey);
        await AssertProblem(response, HttpStatusCode.Forbidden, "forbidden", "/ops/v1/tenants");
    }

    [Fact]
    public async Task A_key_without_the_scope_is_403()
    {
        using var list = await Server.Tenant(HttpMethod.Get, "/v1/subjects", key: Server.EnrollOnlyKey);
        await AssertProblem(list, HttpStatusCode.Forbidden, "forbidden", "/v1/subjects");
        using var compare = await Server.Tenant(HttpMethod.Post, "/v1/compare", Multipart(("a", Photo("img1.jpg")), ("b", Photo("img2.jpg"))), Server.EnrollOnlyKey);
        await AssertProblem(compare, HttpStatusCode.Forbidden, "forbidden", "/v1/compare");
    }

    [Fact]
    public async Task An_unknown_route_is_404_not_found()
    {
        using var response = await Server.Tenant(HttpMethod.Get, "/v1/nothing/here", key: Server.TenantKey);
        await AssertProblem(response, HttpStatusCode.NotFound, "not_found", "/v1/nothing/here");
        using var root = await Server.Tenant(HttpMethod.Get, "/");
        await AssertProblem(root, HttpStatusCode.NotFound, "not_found", "/");
    }

    [Fact]
    public async Task Each_listener_answers_404_for_the_other_listeners_paths()
    {
        using var operatorPathOnTenantListener = await Server.Tenant(HttpMethod.Get, "/ops/v1/tenants", key: Server.OperatorKey);
        await AssertProblem(operatorPathOnTenantListener, HttpStatusCode.NotFound, "not_found", "/ops/v1/tenants");
        using var tenantPathOnOperatorListener = await Server.Operator(HttpMethod.Get, "/v1/subjects", key: Server.TenantKey);
        await AssertProblem(tenantPathOnOperatorListener, HttpStatusCode.NotFound, "not_found", "/v1/subjects");

        using var tenantHealth = await Server.Tenant(HttpMethod.Get, "/healthz");
        using var operatorHealth = await Server.Operator(HttpMethod.Get, "/healthz");
        Assert.Equal(HttpStatusCode.OK, tenantHealth.StatusCode);
        Assert.Equal(HttpStatusCode.OK, operatorHealth.StatusCode);
    }

    [Fact]
    public async Task A_wrong_method_is_405_method_not_allowed()
    {
        using var response = await Server.Tenant(HttpMethod.Patch, "/v1/subjects", key: Server.TenantKey);
        await AssertProblem(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed", "/v1/subjects");
    }

    [Fact]
    public async Task A_photo_under_another_content_type_is_415()
    {
        using var text = await Server.Tenant(HttpMethod.Post, "/v1/subjects/alice/verify", new StringContent("hello", Encoding.UTF8, "text/plain"), Server.TenantKey);
        await AssertProblem(text, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type", "/v1/subjects/alice/verify");
        using var none = await Server.Tenant(HttpMethod.Post, "/v1/identify", new ByteArrayContent([1, 2, 3]), Server.TenantKey);
        await AssertProblem(none, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type", "/v1/identify");
        using var rawCompare = await Server.Tenant(HttpMethod.Post, "/v1/compare", ServerHarness.Raw(Photo("img1.jpg")), Server.TenantKey);
        await AssertProblem(rawCompare, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type", "/v1/compare");
    }

    [Fact]
    public async Task Bytes_that_are_no_image_are_415_unsupported_format()
    {
        using var response = await Server.Tenant(HttpMethod.Post, "/v1/identify", ServerHarness.Raw(Encoding.ASCII.GetBytes("plain text, not a photo")), Server.TenantKey);
        await AssertProblem(response, HttpStatusCode.UnsupportedMediaType, "unsupported_format", "/v1/identify");
    }

    [Theory]
    [InlineData("{\"photo\": ")]
    [InlineData("[1, 2]")]
    [InlineData("{\"photo\": 42}")]
    [InlineData("{\"picture\": \"AAAA\"}")]
    [InlineData("{\"photo\": \"not base64 at all!\"}")]
    [InlineData("{\"photo\": \"AAAAA\"}")]
    [InlineData("{\"photo\": \"data:image/jpeg,AAAA\"}")]
    [InlineData("{\"photo\": \"AAAA\"} trailing")]
    public async Task A_malformed_json_photo_is_400_invalid_argument(string body)
    {
        using var response = await Server.Tenant(HttpMethod.Post, "/v1/identify", new StringContent(body, Encoding.UTF8, "application/json"), Server.TenantKey);
        await AssertProblem(response, HttpStatusCode.BadRequest, "invalid_argument", "/v1/identify");
    }

    [Fact]
    public async Task A_multipart_body_without_the_photo_part_is_400()
    {
        using var response = await Server.Tenant(HttpMethod.Post, "/v1/identify", Multipart(("picture", Photo("img1.jpg"))), Server.TenantKey);
        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, "invalid_argument", "/v1/identify");
        Assert.Contains("'photo'", problem.GetProperty("detail").GetString());
        using var compare = await Server.Tenant(HttpMethod.Post, "/v1/compare", Multipart(("a", Photo("img1.jpg"))), Server.TenantKey);
        Assert.Contains("'b'", (await AssertProblem(compare, HttpStatusCode.BadRequest, "invalid_argument", "/v1/compare")).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_malformed_query_or_subject_id_is_400()
    {
        using var top = await Server.Tenant(HttpMethod.Post, "/v1/identify?top=0", ServerHarness.Raw(Photo("img1.jpg")), Server.TenantKey);
        await AssertProblem(top, HttpStatusCode.BadRequest, "invalid_argument", "/v1/identify");
        using var threshold = await Server.Tenant(HttpMethod.Post, "/v1/identify?threshold=0.1", ServerHarness.Raw(Photo("img1.jpg")), Server.TenantKey);
        await AssertProblem(threshold, HttpStatusCode.BadRequest, "invalid_argument", "/v1/identify");
        using var subject = await Server.Tenant(HttpMethod.Get, "/v1/subjects/a%20b", key: Server.TenantKey);
        await AssertProblem(subject, HttpStatusCode.BadRequest, "invalid_argument", "/v1/subjects/a%20b");
    }

    [Fact]
    public async Task A_malformed_json_document_is_400_and_a_missing_field_too()
    {
        using var broken = await Server.Tenant(HttpMethod.Put, "/v1/subjects/alice/consent", new StringContent("{\"basis\": ", Encoding.UTF8, "application/json"), Server.TenantKey);
        await AssertProblem(broken, HttpStatusCode.BadRequest, "invalid_argument", "/v1/subjects/alice/consent");
        using var missing = await Server.Tenant(HttpMethod.Put, "/v1/subjects/alice/consent", new StringContent("{\"basis\": \"explicit_consent\"}", Encoding.UTF8, "application/json"), Server.TenantKey);
        await AssertProblem(missing, HttpStatusCode.BadRequest, "invalid_argument", "/v1/subjects/alice/consent");
        using var wrongType = await Server.Tenant(HttpMethod.Put, "/v1/subjects/alice/consent", new StringContent("basis=x", Encoding.UTF8, "text/plain"), Server.TenantKey);
        await AssertProblem(wrongType, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type", "/v1/subjects/alice/consent");
    }

    [Fact]
    public async Task A_photo_without_a_face_is_422_no_face()
    {
        var flower = File.ReadAllBytes(SharedData.PathOf("faces", "hard", "public", "pillow__flower2.jpg"));
        using var response = await Server.Tenant(HttpMethod.Post, "/v1/subjects/flower/templates", ServerHarness.Raw(flower), Server.TenantKey);
        await AssertProblem(response, HttpStatusCode.UnprocessableEntity, "no_face", "/v1/subjects/flower/templates");
    }

    [Fact]
    public async Task A_photo_with_two_faces_is_422_multiple_faces_with_the_count()
    {
        using var response = await Server.Tenant(HttpMethod.Post, "/v1/subjects/couple/templates", Multipart(("photo", Photo("couple.jpg"))), Server.TenantKey);
        var problem = await AssertProblem(response, HttpStatusCode.UnprocessableEntity, "multiple_faces", "/v1/subjects/couple/templates");
        Assert.Equal(2, problem.GetProperty("faces").GetInt32());
    }

    [Fact]
    public async Task An_unknown_subject_is_404_unknown_subject()
    {
        using var response = await Server.Tenant(HttpMethod.Post, "/v1/subjects/nobody/verify", ServerHarness.Raw(Photo("img1.jpg")), Server.TenantKey);
        await AssertProblem(response, HttpStatusCode.NotFound, "unknown_subject", "/v1/subjects/nobody/verify");
        using var get = await Server.Tenant(HttpMethod.Get, "/v1/subjects/nobody", key: Server.TenantKey);
        await AssertProblem(get, HttpStatusCode.NotFound, "unknown_subject", "/v1/subjects/nobody");
    }

    [Fact]
    public async Task A_raw_body_over_20_MiB_is_413_image_too_large()
    {
        using var response = await Server.Tenant(HttpMethod.Post, "/v1/identify", ServerHarness.Raw(new byte[20 * 1024 * 1024 + 1]), Server.TenantKey);
        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, "image_too_large", "/v1/identify");
    }

    [Fact]
    public async Task A_chunked_body_without_a_length_is_cut_off_at_the_limit_with_413()
    {
        using var raw = await Server.Tenant(HttpMethod.Post, "/v1/identify", new GeneratedContent(21 * 1024 * 1024, "image/jpeg"), Server.TenantKey);
        await AssertProblem(raw, HttpStatusCode.RequestEntityTooLarge, "image_too_large", "/v1/identify");
        using var json = await Server.Tenant(HttpMethod.Post, "/v1/identify", new GeneratedContent(29 * 1024 * 1024, "application/json"), Server.TenantKey);
        await AssertProblem(json, HttpStatusCode.RequestEntityTooLarge, "image_too_large", "/v1/identify");
        using var document = await Server.Operator(HttpMethod.Post, "/ops/v1/tenants", new GeneratedContent(1024 * 1024 + 1, "application/json", "{\"tenant\": \""), Server.OperatorKey);
        await AssertProblem(document, HttpStatusCode.RequestEntityTooLarge, "image_too_large", "/ops/v1/tenants");
    }

    internal static MultipartFormDataContent Multipart(params (string Name, byte[] Bytes)[] parts)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, bytes) in parts)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            content.Add(part, name, $"{name}.jpg");
        }
        return content;
    }
}
