using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IntelliFace.Tests.EndToEnd;

namespace IntelliFace.Tests.Server;

/// <summary>The photo encodings of the contract carry the same photo: enroll and verify answer the same for each.</summary>
public sealed class PhotoEncodingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerHarness Server => fixture.Harness;

    /// <summary>Every way the contract lets a client send <paramref name="photo"/>, a <paramref name="type"/>, by name.</summary>
    internal static IEnumerable<(string Name, Func<HttpContent> Content)> Encodings(byte[] photo, string type = "image/jpeg")
    {
        var base64 = Convert.ToBase64String(photo);
        yield return ($"raw {type}", () => ServerHarness.Raw(photo, type));
        yield return ("raw application/octet-stream", () => ServerHarness.Raw(photo, "application/octet-stream"));
        yield return ("multipart file", () => ProblemResponseTests.Multipart(("photo", photo)));
        yield return ("multipart field", () => new MultipartFormDataContent { { new ByteArrayContent(photo), "photo" } });
        yield return ("json base64", () => Json("photo", base64));
        yield return ("json data url", () => Json("photo", $"data:{type};base64,{base64}"));
        yield return ("json url-safe unpadded", () => Json("photo", base64.TrimEnd('=').Replace('+', '-').Replace('/', '_')));
    }

    internal static StringContent Json(string name, string value) =>
        new(JsonSerializer.Serialize(new Dictionary<string, string> { [name] = value }), Encoding.UTF8, "application/json");

    [Fact]
    public async Task Every_encoding_enrolls_and_verifies_the_same_face()
    {
        var photo = File.ReadAllBytes(DeepFacePhotos.PathOf("img1.jpg"));
        var probe = File.ReadAllBytes(DeepFacePhotos.PathOf("img2.jpg"));
        var faces = new List<(string Encoding, string Face)>();
        foreach (var (name, content) in Encodings(photo))
        {
            using var enrolled = await Server.Tenant(HttpMethod.Post, "/v1/subjects/encodings/templates", content(), Server.TenantKey);
            var body = await enrolled.Content.ReadAsStringAsync();
            Assert.True(enrolled.StatusCode == HttpStatusCode.Created, $"{name}: {(int)enrolled.StatusCode} {body}");
            var document = JsonDocument.Parse(body).RootElement;
            Assert.Equal("acme", document.GetProperty("tenant").GetString());
            Assert.Equal($"/v1/subjects/encodings/templates/{document.GetProperty("template").GetString()}", enrolled.Headers.Location?.OriginalString);
            faces.Add((name, document.GetProperty("face").GetRawText()));
        }
        Assert.Single(faces.Select(f => f.Face).Distinct());

        var verdicts = new List<string>();
        foreach (var (name, content) in Encodings(probe))
        {
            using var verified = await Server.Tenant(HttpMethod.Post, "/v1/subjects/encodings/verify", content(), Server.TenantKey);
            var body = await verified.Content.ReadAsStringAsync();
            Assert.True(verified.StatusCode == HttpStatusCode.OK, $"{name}: {(int)verified.StatusCode} {body}");
            verdicts.Add(body);
        }
        var verdict = JsonDocument.Parse(Assert.Single(verdicts.Distinct())).RootElement;
        Assert.True(verdict.GetProperty("match").GetBoolean());
    }

    [Fact]
    public async Task Compare_takes_two_multipart_parts_or_two_json_properties_alike()
    {
        var a = File.ReadAllBytes(DeepFacePhotos.PathOf("img1.jpg"));
        var b = File.ReadAllBytes(DeepFacePhotos.PathOf("img3.jpg"));
        using var multipart = await Server.Tenant(HttpMethod.Post, "/v1/compare", ProblemResponseTests.Multipart(("a", a), ("b", b)), Server.TenantKey);
        var json = new StringContent(JsonSerializer.Serialize(new { a = Convert.ToBase64String(a), b = Convert.ToBase64String(b) }), Encoding.UTF8, "application/json");
        using var asJson = await Server.Tenant(HttpMethod.Post, "/v1/compare", json, Server.TenantKey);
        Assert.Equal(HttpStatusCode.OK, multipart.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asJson.StatusCode);
        var first = await multipart.Content.ReadAsStringAsync();
        Assert.Equal(first, await asJson.Content.ReadAsStringAsync());
        var document = JsonDocument.Parse(first).RootElement;
        Assert.False(document.GetProperty("match").GetBoolean());
        Assert.Equal(JsonValueKind.Object, document.GetProperty("face_b").ValueKind);
    }

    [Fact]
    public async Task The_result_documents_are_the_cli_documents_field_for_field()
    {
        var photo = File.ReadAllBytes(DeepFacePhotos.PathOf("img1.jpg"));
        using var enrolled = await Server.Tenant(HttpMethod.Post, "/v1/subjects/fields/templates", ServerHarness.Raw(photo), Server.TenantKey);
        Assert.Equal(["tenant", "subject", "template", "pack", "face"], Names(await ServerHarness.JsonOf(enrolled)));
        using var verified = await Server.Tenant(HttpMethod.Post, "/v1/subjects/fields/verify", ServerHarness.Raw(photo), Server.TenantKey);
        var verify = await ServerHarness.JsonOf(verified);
        Assert.Equal(["match", "similarity", "threshold", "subject", "pack", "face"], Names(verify));
        Assert.Equal(["faces_detected", "score", "box"], Names(verify.GetProperty("face")));
        using var identified = await Server.Tenant(HttpMethod.Post, "/v1/identify?top=3", ServerHarness.Raw(photo), Server.TenantKey);
        var identify = await ServerHarness.JsonOf(identified);
        Assert.Equal(["match", "candidates", "threshold", "pack", "face"], Names(identify));
        Assert.Contains("fields", identify.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("subject").GetString()));
        using var listed = await Server.Tenant(HttpMethod.Get, "/v1/subjects/fields/templates", key: Server.TenantKey);
        var templates = await ServerHarness.JsonOf(listed);
        Assert.Equal(["template", "pack", "key_version", "created_utc", "last_used_utc"], Names(templates.GetProperty("templates")[0]));
    }

    private static string[] Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();
}
