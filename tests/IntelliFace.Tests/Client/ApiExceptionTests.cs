using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IntelliFace.Client;

namespace IntelliFace.Tests.Client;

/// <summary>
/// The client without a service: answers it cannot get from a healthy service (429, a proxy's error page), what each
/// photo encoding puts on the wire, and that the API key stays out of every string the client makes.
/// </summary>
public sealed class ApiExceptionTests
{
    private const string Key = "ifk_0123456789ab_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA";

    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4];

    [Fact]
    public async Task A_429_problem_gives_the_code_the_retry_delay_and_the_extension_members()
    {
        var answer = Answer(HttpStatusCode.TooManyRequests, """
            {"type":"urn:intelliface:error:rate_limited","title":"Rate limited","status":429,"detail":"Too many requests; retry after the time in Retry-After.",
             "instance":"/v1/identify","code":"rate_limited","limit":50,"trace_id":"abc123"}
            """, "application/problem+json");
        answer.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2));
        var client = new IntelliFaceClient(Over(_ => answer), Key);

        var refusal = await Assert.ThrowsAsync<IntelliFaceApiException>(() => client.IdentifyAsync(PhotoContent.FromBytes(Jpeg)));

        Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limited", "Rate limited", "abc123", "/v1/identify"), (refusal.Status, refusal.Code, refusal.Title, refusal.TraceId, refusal.Instance));
        Assert.Equal(TimeSpan.FromSeconds(2), refusal.RetryAfter);
        Assert.Equal(50, Assert.Single(refusal.Extensions).Value.GetInt32());
        Assert.Equal("429 rate_limited: Too many requests; retry after the time in Retry-After.", refusal.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway, "<html><body>Bad gateway</body></html>", "text/html", "The service answered 502 Bad Gateway with a text/html body instead of application/problem+json: <html><body>Bad gateway</body></html>")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "", null, "The service answered 503 Service Unavailable with an empty body")]
    [InlineData(HttpStatusCode.InternalServerError, "{not json", "application/problem+json", "The service answered 500 Internal Server Error with a application/problem+json body instead of application/problem+json: {not json")]
    public async Task An_error_that_is_no_problem_document_still_throws_with_a_clear_message(HttpStatusCode status, string body, string? type, string message)
    {
        var client = new IntelliFaceClient(Over(_ => Answer(status, body, type)), Key);

        var refusal = await Assert.ThrowsAsync<IntelliFaceApiException>(() => client.ListSubjectsAsync());

        Assert.Equal((status, (string?)null, message), (refusal.Status, refusal.Code, refusal.Message));
        Assert.Empty(refusal.Extensions);
    }

    [Fact]
    public async Task The_key_goes_in_the_authorization_header_only_and_into_no_string_the_client_makes()
    {
        HttpRequestMessage? sent = null;
        var client = new IntelliFaceClient(Over(request =>
        {
            sent = request;
            return Answer(HttpStatusCode.Unauthorized, """{"code":"unauthorized","detail":"The key is unknown.","status":401}""", "application/problem+json");
        }), new IntelliFaceClientOptions(Key) { PhotoEncoding = PhotoEncoding.Json });

        var refusal = await Assert.ThrowsAsync<IntelliFaceApiException>(() => client.GetSubjectAsync("anna"));

        Assert.Equal(new AuthenticationHeaderValue("Bearer", Key), sent!.Headers.Authorization);
        Assert.DoesNotContain(Key, sent.RequestUri!.ToString(), StringComparison.Ordinal);
        foreach (var text in new[] { refusal.ToString(), client.ToString()!, new IntelliFaceClientOptions(Key).ToString(), new NewApiKey("acme", "0123456789ab", "enroll", Key).ToString() })
            Assert.DoesNotContain("c2VjcmV0", text, StringComparison.Ordinal);
        Assert.Equal("IntelliFaceClientOptions { ApiKey = (hidden), PhotoEncoding = Raw }", new IntelliFaceClientOptions(Key).ToString());
        var badKey = Assert.Throws<ArgumentException>(() => new IntelliFaceClient(Over(_ => Answer(HttpStatusCode.OK, "", null)), Key + "\r\nX: y"));
        Assert.DoesNotContain("c2VjcmV0", badKey.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_and_readiness_send_no_key()
    {
        HttpRequestMessage? sent = null;
        var client = new IntelliFaceOperatorClient(Over(request =>
        {
            sent = request;
            return Answer(HttpStatusCode.OK, """{"status":"ok"}""", "application/json");
        }), Key);

        Assert.Equal(new ServiceStatus("ok"), await client.HealthAsync());
        Assert.Null(sent!.Headers.Authorization);
        Assert.Equal("http://service.test/base/healthz", sent.RequestUri!.ToString());
    }

    [Theory]
    [InlineData(PhotoEncoding.Raw, "image/jpeg", "/9j/4AECAwQ=")]
    [InlineData(PhotoEncoding.Multipart, "multipart/form-data", "/9j/4AECAwQ=")]
    [InlineData(PhotoEncoding.Json, "application/json", """{"photo":"/9j/4AECAwQ="}""")]
    [InlineData(PhotoEncoding.DataUrl, "application/json", """{"photo":"data:image/jpeg;base64,/9j/4AECAwQ="}""")]
    public async Task Each_encoding_puts_the_photo_on_the_wire_as_the_contract_says(PhotoEncoding encoding, string type, string expected)
    {
        var (contentType, body) = await SentBodyOf(client => client.VerifyAsync("anna", PhotoContent.FromBytes(Jpeg), encoding));

        Assert.Equal(type, contentType.MediaType);
        switch (encoding)
        {
            case PhotoEncoding.Raw:
                Assert.Equal(expected, Convert.ToBase64String(body));
                break;
            case PhotoEncoding.Multipart:
                var text = Encoding.Latin1.GetString(body);
                Assert.Contains("name=photo", text, StringComparison.Ordinal);
                Assert.Contains("Content-Type: image/jpeg", text, StringComparison.Ordinal);
                Assert.Contains(Encoding.Latin1.GetString(Jpeg), text, StringComparison.Ordinal);
                break;
            default:
                Assert.Equal(expected, Encoding.UTF8.GetString(body));
                break;
        }
    }

    [Theory]
    [InlineData(PhotoEncoding.Raw, "multipart/form-data")]
    [InlineData(PhotoEncoding.Json, "application/json")]
    public async Task Compare_sends_parts_a_and_b_and_never_a_raw_body(PhotoEncoding encoding, string type)
    {
        var png = PhotoContent.FromBytes([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A]);
        var (contentType, body) = await SentBodyOf(client => client.CompareAsync(PhotoContent.FromBytes(Jpeg), png, encoding));

        Assert.Equal(type, contentType.MediaType);
        var text = Encoding.Latin1.GetString(body);
        if (encoding == PhotoEncoding.Json)
            Assert.Equal("""{"a":"/9j/4AECAwQ=","b":"iVBORw0K"}""", text);
        else
            Assert.True(text.Contains("name=a", StringComparison.Ordinal) && text.Contains("name=b", StringComparison.Ordinal) && text.Contains("Content-Type: image/png", StringComparison.Ordinal), text);
    }

    [Theory]
    [InlineData(1024 * 1024, false)]
    [InlineData(1024 * 1024 + 1, true)]
    public async Task A_body_over_1_MiB_asks_with_expect_100_continue_before_it_is_sent(int length, bool asks)
    {
        bool? expectContinue = null;
        var client = new IntelliFaceClient(Over(request =>
        {
            expectContinue = request.Headers.ExpectContinue;
            return Answer(HttpStatusCode.Unauthorized, """{"code":"unauthorized","detail":"x","status":401}""", "application/problem+json");
        }), Key);

        await Assert.ThrowsAsync<IntelliFaceApiException>(() => client.IdentifyAsync(PhotoContent.FromBytes(new byte[length])));

        Assert.Equal(asks, expectContinue == true);
    }

    [Fact]
    public async Task A_photo_is_labelled_by_its_bytes_and_a_stream_over_20_MiB_is_refused_before_sending()
    {
        Assert.Equal("image/webp", PhotoContent.FromBytes(Encoding.ASCII.GetBytes("RIFF\0\0\0\0WEBPVP8 ")).MediaType);
        Assert.Equal("image/gif", PhotoContent.FromBytes(Encoding.ASCII.GetBytes("GIF89a")).MediaType);
        Assert.Equal("image/bmp", PhotoContent.FromBytes(Encoding.ASCII.GetBytes("BM....")).MediaType);
        Assert.Equal("application/octet-stream", PhotoContent.FromBytes(Encoding.ASCII.GetBytes("hello")).MediaType);
        Assert.Equal("image/heic", PhotoContent.FromBytes(Jpeg, "image/heic").MediaType);
        Assert.Throws<ArgumentException>(() => PhotoContent.FromBytes(Jpeg, "text/plain"));
        Assert.Throws<ArgumentException>(() => PhotoContent.FromBytes(Jpeg, "image/jpeg\";x"));

        await using var large = new MemoryStream(new byte[PhotoContent.MaxBytes + 1]);
        await Assert.ThrowsAsync<ArgumentException>(() => PhotoContent.FromStreamAsync(large));
    }

    private static async Task<(MediaTypeHeaderValue ContentType, byte[] Body)> SentBodyOf(Func<IntelliFaceClient, Task> call)
    {
        (MediaTypeHeaderValue, byte[])? sent = null;
        var client = new IntelliFaceClient(Over(request =>
        {
            sent = (request.Content!.Headers.ContentType!, request.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult());
            return Answer(HttpStatusCode.NotFound, """{"code":"unknown_subject","detail":"x","status":404}""", "application/problem+json");
        }), Key);
        await Assert.ThrowsAsync<IntelliFaceApiException>(() => call(client));
        return sent!.Value;
    }

    private static HttpClient Over(Func<HttpRequestMessage, HttpResponseMessage> answer) =>
        new(new StubHandler(answer)) { BaseAddress = new Uri("http://service.test/base") };

    private static HttpResponseMessage Answer(HttpStatusCode status, string body, string? type)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (type is not null) content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return new HttpResponseMessage(status) { Content = content };
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(answer(request));
    }
}
