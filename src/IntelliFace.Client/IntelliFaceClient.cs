using System.Globalization;
using System.Text.Json;

namespace IntelliFace.Client;

/// <summary>
/// The tenant API (<c>/v1</c>) of an IntelliFace service, for one tenant API key: the key's tenant is the one acted for.
/// Photos are sent, never stored by the service; only sealed embeddings are kept.
/// </summary>
/// <remarks>
/// The client is immutable and safe to share between threads and requests; create one per key and keep it, over an
/// <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is the tenant listener (for example
/// <c>http://127.0.0.1:8080/</c>). The client does not dispose the <see cref="HttpClient"/>, and its timeout and
/// handlers apply. Every answer outside 2xx throws <see cref="IntelliFaceApiException"/>; a failed connection throws
/// <see cref="HttpRequestException"/>. The API key is sent only in the <c>Authorization</c> header; the client logs
/// nothing and never puts the key into a message.
/// </remarks>
public sealed class IntelliFaceClient
{
    private readonly ApiChannel _channel;
    private readonly PhotoEncoding _encoding;

    /// <summary>A client for <paramref name="apiKey"/>, sending photos raw.</summary>
    public IntelliFaceClient(HttpClient http, string apiKey)
        : this(http, new IntelliFaceClientOptions(apiKey))
    {
    }

    /// <summary>A client with <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The <see cref="HttpClient"/> has no base address, or the key is empty or not printable ASCII.</exception>
    public IntelliFaceClient(HttpClient http, IntelliFaceClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _channel = new ApiChannel(http, options.ApiKey);
        _encoding = options.PhotoEncoding;
    }

    /// <summary>Adds a template to <paramref name="subject"/> (creating the subject) from a photo with exactly one face.</summary>
    /// <param name="subject">The subject's id within the tenant: letters, digits, <c>.</c>, <c>_</c>, <c>-</c>, <c>@</c>.</param>
    /// <param name="encoding">How to send the photo; the client's default when null.</param>
    /// <exception cref="IntelliFaceApiException"><c>no_face</c>, <c>multiple_faces</c> (<c>faces</c> in
    /// <see cref="IntelliFaceApiException.Extensions"/>), <c>face_too_small</c>, <c>consent_required</c>, and the photo errors.</exception>
    public async Task<EnrollResult> EnrollAsync(string subject, PhotoContent photo, PhotoEncoding? encoding = null, CancellationToken cancellationToken = default)
    {
        var path = $"v1/subjects/{ApiChannel.Escape(subject, nameof(subject))}/templates";
        var (document, location) = await _channel.SendAsync<EnrollResult>(HttpMethod.Post, path, OnePhoto(photo, encoding), cancellationToken).ConfigureAwait(false);
        return document with { Location = location };
    }

    /// <summary>Whether the photo's largest face is <paramref name="subject"/> (1:1), against the subject's templates of the
    /// service's model pack.</summary>
    /// <exception cref="IntelliFaceApiException"><c>unknown_subject</c> (also for another tenant's subject); <c>model_mismatch</c>
    /// when the subject has templates of another pack only; <c>no_face</c> and the photo errors.</exception>
    public Task<VerifyResult> VerifyAsync(string subject, PhotoContent photo, PhotoEncoding? encoding = null, CancellationToken cancellationToken = default) =>
        _channel.GetDocumentAsync<VerifyResult>(HttpMethod.Post, $"v1/subjects/{ApiChannel.Escape(subject, nameof(subject))}/verify", OnePhoto(photo, encoding), cancellationToken);

    /// <summary>Who among the tenant's subjects the photo's largest face is (1:N).</summary>
    /// <param name="top">How many candidates to return, 1 to 100; the service's default (5) when null.</param>
    /// <param name="threshold">A stricter cosine similarity for a match, from the pack's calibrated threshold up to 1; a
    /// lower value is refused (<c>invalid_argument</c>). The pack's threshold when null.</param>
    public Task<IdentifyResult> IdentifyAsync(
        PhotoContent photo, int? top = null, double? threshold = null, PhotoEncoding? encoding = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>(2);
        if (top is { } count) query.Add($"top={count.ToString(CultureInfo.InvariantCulture)}");
        if (threshold is { } value) query.Add($"threshold={value.ToString("0.0###############", CultureInfo.InvariantCulture)}");
        var path = query.Count == 0 ? "v1/identify" : $"v1/identify?{string.Join('&', query)}";
        return _channel.GetDocumentAsync<IdentifyResult>(HttpMethod.Post, path, OnePhoto(photo, encoding), cancellationToken);
    }

    /// <summary>Whether two photos show the same person (largest face of each). Nothing is stored. <see cref="PhotoEncoding.Raw"/>
    /// cannot carry two photos: it is sent as <see cref="PhotoEncoding.Multipart"/>.</summary>
    public Task<CompareResult> CompareAsync(PhotoContent a, PhotoContent b, PhotoEncoding? encoding = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return _channel.GetDocumentAsync<CompareResult>(HttpMethod.Post, "v1/compare", PhotoBody.Create(encoding ?? _encoding, ("a", a), ("b", b)), cancellationToken);
    }

    /// <summary>The tenant's subjects (needs the <c>manage_subjects</c> scope).</summary>
    public Task<SubjectList> ListSubjectsAsync(CancellationToken cancellationToken = default) =>
        _channel.GetDocumentAsync<SubjectList>(HttpMethod.Get, "v1/subjects", null, cancellationToken);

    /// <summary>One subject's summary.</summary>
    /// <exception cref="IntelliFaceApiException"><c>unknown_subject</c>.</exception>
    public Task<SubjectInfo> GetSubjectAsync(string subject, CancellationToken cancellationToken = default) =>
        _channel.GetDocumentAsync<SubjectInfo>(HttpMethod.Get, $"v1/subjects/{ApiChannel.Escape(subject, nameof(subject))}", null, cancellationToken);

    /// <summary>Erases the subject for good: its key is destroyed, then its templates and rows.</summary>
    /// <exception cref="IntelliFaceApiException"><c>unknown_subject</c>.</exception>
    public Task EraseSubjectAsync(string subject, CancellationToken cancellationToken = default) =>
        _channel.SendWithoutResultAsync(HttpMethod.Delete, $"v1/subjects/{ApiChannel.Escape(subject, nameof(subject))}", null, cancellationToken);

    /// <summary>The subject's templates: metadata only, never an embedding.</summary>
    /// <exception cref="IntelliFaceApiException"><c>unknown_subject</c>.</exception>
    public Task<TemplateList> ListTemplatesAsync(string subject, CancellationToken cancellationToken = default) =>
        _channel.GetDocumentAsync<TemplateList>(HttpMethod.Get, $"v1/subjects/{ApiChannel.Escape(subject, nameof(subject))}/templates", null, cancellationToken);

    /// <summary>Records (or replaces) the subject's consent; the subject need not be enrolled yet.</summary>
    /// <param name="basis">One of <see cref="LawfulBasis"/>.</param>
    /// <param name="notice">The version of the privacy notice the subject was shown.</param>
    /// <param name="givenUtc">When consent was given; now when null.</param>
    public Task<ConsentRecord> RecordConsentAsync(string subject, string basis, string notice, DateTimeOffset? givenUtc = null, CancellationToken cancellationToken = default) =>
        _channel.GetDocumentAsync<ConsentRecord>(
            HttpMethod.Put, $"v1/subjects/{ApiChannel.Escape(subject, nameof(subject))}/consent", ApiChannel.Document(new ConsentBody(basis, notice, givenUtc)), cancellationToken);

    /// <summary>The subject's GDPR export. With <paramref name="recipientKeyPem"/> (an RSA public key in PEM whose private
    /// half the tenant holds) the templates are included, sealed for that key; without it, metadata only.</summary>
    /// <exception cref="IntelliFaceApiException"><c>unknown_subject</c>; <c>invalid_argument</c> for a key that is no RSA public key.</exception>
    public Task<SubjectExport> ExportSubjectAsync(string subject, string? recipientKeyPem = null, CancellationToken cancellationToken = default)
    {
        var path = $"v1/subjects/{ApiChannel.Escape(subject, nameof(subject))}/export";
        if (recipientKeyPem is not null) path += $"?recipient_key={Uri.EscapeDataString(recipientKeyPem)}";
        return _channel.GetDocumentAsync<SubjectExport>(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <summary>The tenant's audit trail in order, from the entry after sequence number <paramref name="after"/> (needs <c>read_audit</c>).</summary>
    public Task<AuditTrail> ExportAuditAsync(long? after = null, CancellationToken cancellationToken = default) =>
        _channel.GetDocumentAsync<AuditTrail>(
            HttpMethod.Get, after is { } sequence ? $"v1/audit?after={sequence.ToString(CultureInfo.InvariantCulture)}" : "v1/audit", null, cancellationToken);

    /// <summary><c>/healthz</c>: the process runs. Sends no key.</summary>
    public Task<ServiceStatus> HealthAsync(CancellationToken cancellationToken = default) => _channel.StatusAsync("healthz", cancellationToken);

    /// <summary><c>/readyz</c>: the model pack is loaded and the vault answers (otherwise a 503 <see cref="IntelliFaceApiException"/>). Sends no key.</summary>
    public Task<ServiceStatus> ReadyAsync(CancellationToken cancellationToken = default) => _channel.StatusAsync("readyz", cancellationToken);

    /// <summary>
    /// Any request to the tenant listener with this client's key, for endpoints this version of the client does not
    /// know. <paramref name="path"/> is relative to the base address (<c>v1/...</c>); <paramref name="content"/> is
    /// disposed. Returns the answer's JSON, or null for an empty body.
    /// </summary>
    public Task<JsonElement?> SendAsync(HttpMethod method, string path, HttpContent? content = null, CancellationToken cancellationToken = default) =>
        _channel.SendAnyAsync(method, path, content, cancellationToken);

    private HttpContent OnePhoto(PhotoContent photo, PhotoEncoding? encoding)
    {
        ArgumentNullException.ThrowIfNull(photo);
        return PhotoBody.Create(encoding ?? _encoding, ("photo", photo));
    }

    private sealed record ConsentBody(string Basis, string Notice, DateTimeOffset? GivenUtc);
}
