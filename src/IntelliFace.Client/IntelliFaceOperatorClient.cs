using System.Text.Json;

namespace IntelliFace.Client;

/// <summary>
/// The operator API (<c>/ops/v1</c>) of an IntelliFace service, for one operator key: tenants, API keys, key rotation,
/// retention, the audit chain and break-glass grants. Operators have no access to tenant data except through an
/// approved break-glass grant.
/// </summary>
/// <remarks>
/// Immutable and safe to share between threads. The <see cref="HttpClient"/>'s <see cref="HttpClient.BaseAddress"/> is
/// the operator listener (for example <c>http://127.0.0.1:8081/</c>), which is a different port from the tenant API's;
/// the client does not dispose it. Answers outside 2xx throw <see cref="IntelliFaceApiException"/>. The key never
/// appears in a message; the client logs nothing. Adding operators and rotating the master key are done on the
/// service's host with the command line, not here.
/// </remarks>
public sealed class IntelliFaceOperatorClient
{
    private readonly ApiChannel _channel;

    /// <summary>A client for the operator key <paramref name="apiKey"/>.</summary>
    /// <exception cref="ArgumentException">The <see cref="HttpClient"/> has no base address, or the key is empty or not printable ASCII.</exception>
    public IntelliFaceOperatorClient(HttpClient http, string apiKey) => _channel = new ApiChannel(http, apiKey);

    /// <summary>A client with <paramref name="options"/> (its photo encoding does not matter here).</summary>
    public IntelliFaceOperatorClient(HttpClient http, IntelliFaceClientOptions options)
        : this(http, (options ?? throw new ArgumentNullException(nameof(options))).ApiKey)
    {
    }

    /// <summary>Every tenant.</summary>
    public async Task<IReadOnlyList<TenantInfo>> ListTenantsAsync(CancellationToken cancellationToken = default) =>
        (await _channel.GetDocumentAsync<TenantsDocument>(HttpMethod.Get, "ops/v1/tenants", null, cancellationToken).ConfigureAwait(false)).Tenants;

    /// <summary>Creates a tenant.</summary>
    /// <param name="tenant">Its id: lowercase letters, digits and <c>-</c>.</param>
    /// <param name="consentRequired">Whether enrollment needs a consent record first.</param>
    /// <param name="retentionDays">Days a template may go unused before the retention run erases it; null keeps templates.</param>
    /// <exception cref="IntelliFaceApiException"><c>tenant_exists</c>; <c>invalid_argument</c>.</exception>
    public Task<TenantInfo> CreateTenantAsync(string tenant, bool consentRequired = false, int? retentionDays = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        return _channel.GetDocumentAsync<TenantInfo>(HttpMethod.Post, "ops/v1/tenants", ApiChannel.Document(new TenantBody(tenant, consentRequired, retentionDays)), cancellationToken);
    }

    /// <summary>Sets the tenant's policy (both settings at once).</summary>
    /// <exception cref="IntelliFaceApiException"><c>unknown_tenant</c>.</exception>
    public Task<TenantPolicy> SetTenantPolicyAsync(string tenant, bool consentRequired, int? retentionDays, CancellationToken cancellationToken = default) =>
        _channel.GetDocumentAsync<TenantPolicy>(
            HttpMethod.Put, $"{TenantPath(tenant)}/policy", ApiChannel.Document(new PolicyBody(consentRequired, retentionDays)), cancellationToken);

    /// <summary>Refuses every request for the tenant (<c>tenant_suspended</c>) until resumed; keeps everything.</summary>
    /// <exception cref="IntelliFaceApiException"><c>unknown_tenant</c>.</exception>
    public Task SuspendTenantAsync(string tenant, CancellationToken cancellationToken = default) =>
        _channel.SendWithoutResultAsync(HttpMethod.Post, $"{TenantPath(tenant)}/suspend", null, cancellationToken);

    /// <summary>Lets a suspended tenant's requests through again.</summary>
    /// <exception cref="IntelliFaceApiException"><c>unknown_tenant</c>.</exception>
    public Task ResumeTenantAsync(string tenant, CancellationToken cancellationToken = default) =>
        _channel.SendWithoutResultAsync(HttpMethod.Post, $"{TenantPath(tenant)}/resume", null, cancellationToken);

    /// <summary>Deletes the tenant: crypto-shreds its keys (no template can be opened again, backups included), then purges its rows.</summary>
    /// <exception cref="IntelliFaceApiException"><c>unknown_tenant</c>.</exception>
    public Task DeleteTenantAsync(string tenant, CancellationToken cancellationToken = default) =>
        _channel.SendWithoutResultAsync(HttpMethod.Delete, TenantPath(tenant), null, cancellationToken);

    /// <summary>A new API key for the tenant; its secret is in the answer only (see <see cref="NewApiKey"/>).</summary>
    /// <param name="scopes">Names from <see cref="ApiKeyScopes"/>, at least one.</param>
    /// <exception cref="IntelliFaceApiException"><c>unknown_tenant</c>; <c>invalid_argument</c> for no or an unknown scope.</exception>
    public Task<NewApiKey> CreateApiKeyAsync(string tenant, IEnumerable<string> scopes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        return _channel.GetDocumentAsync<NewApiKey>(HttpMethod.Post, $"{TenantPath(tenant)}/apikeys", ApiChannel.Document(new ApiKeyBody([.. scopes])), cancellationToken);
    }

    /// <summary>The tenant's API keys, revoked ones included; never a secret.</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string tenant, CancellationToken cancellationToken = default) =>
        (await _channel.GetDocumentAsync<KeysDocument>(HttpMethod.Get, $"{TenantPath(tenant)}/apikeys", null, cancellationToken).ConfigureAwait(false)).Keys;

    /// <summary>Revokes an API key at once: its next request is <c>unauthorized</c>.</summary>
    /// <exception cref="IntelliFaceApiException"><c>unknown_credential</c> when there is no such unrevoked key.</exception>
    public Task RevokeApiKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        _channel.SendWithoutResultAsync(HttpMethod.Delete, $"ops/v1/apikeys/{ApiChannel.Escape(keyId, nameof(keyId))}", null, cancellationToken);

    /// <summary>Rotates the tenant's data key: a new version, every subject key re-wrapped; online, resumable.</summary>
    public Task<KeyRotation> RotateTenantKeyAsync(string tenant, CancellationToken cancellationToken = default) =>
        _channel.GetDocumentAsync<KeyRotation>(HttpMethod.Post, $"{TenantPath(tenant)}/keys/rotate", null, cancellationToken);

    /// <summary>Applies every tenant's retention policy now; what it erased, for each tenant where it erased anything.</summary>
    public async Task<IReadOnlyList<RetentionErasure>> RunRetentionAsync(CancellationToken cancellationToken = default) =>
        (await _channel.GetDocumentAsync<RetentionDocument>(HttpMethod.Post, "ops/v1/retention/run", null, cancellationToken).ConfigureAwait(false)).Erased;

    /// <summary>Checks the whole audit chain.</summary>
    public Task<AuditVerification> VerifyAuditAsync(CancellationToken cancellationToken = default) =>
        _channel.GetDocumentAsync<AuditVerification>(HttpMethod.Get, "ops/v1/audit/verify", null, cancellationToken);

    /// <summary>Asks for read access to one tenant; another operator must approve it.</summary>
    /// <param name="operations">Names from <see cref="BreakGlassOperations"/>.</param>
    /// <param name="minutes">How long the grant lasts once approved: 1 to the service's limit (60 at most).</param>
    /// <exception cref="IntelliFaceApiException"><c>unknown_tenant</c>; <c>invalid_argument</c> for no reason or ticket, a
    /// write operation, or too many minutes.</exception>
    public Task<BreakGlassGrant> RequestBreakGlassAsync(
        string tenant, string reason, string ticket, IEnumerable<string> operations, int minutes = 30, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return _channel.GetDocumentAsync<BreakGlassGrant>(
            HttpMethod.Post, "ops/v1/breakglass", ApiChannel.Document(new GrantRequestBody(tenant, reason, ticket, [.. operations], minutes)), cancellationToken);
    }

    /// <summary>Approves another operator's pending grant; it runs from now.</summary>
    /// <exception cref="IntelliFaceApiException"><c>self_approval</c> for one's own request; <c>unknown_grant</c>.</exception>
    public Task<BreakGlassGrant> ApproveBreakGlassAsync(string grant, CancellationToken cancellationToken = default) =>
        _channel.GetDocumentAsync<BreakGlassGrant>(HttpMethod.Post, $"{GrantPath(grant)}/approve", null, cancellationToken);

    /// <summary>Ends a grant at once, pending or approved.</summary>
    /// <exception cref="IntelliFaceApiException"><c>unknown_grant</c> when there is no such active grant.</exception>
    public Task<BreakGlassGrant> RevokeBreakGlassAsync(string grant, CancellationToken cancellationToken = default) =>
        _channel.GetDocumentAsync<BreakGlassGrant>(HttpMethod.Post, $"{GrantPath(grant)}/revoke", null, cancellationToken);

    /// <summary>The grants, of one tenant or of all.</summary>
    public async Task<IReadOnlyList<BreakGlassGrant>> ListBreakGlassAsync(string? tenant = null, CancellationToken cancellationToken = default)
    {
        var path = tenant is null ? "ops/v1/breakglass" : $"ops/v1/breakglass?tenant={Uri.EscapeDataString(tenant)}";
        return (await _channel.GetDocumentAsync<GrantsDocument>(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false)).Grants;
    }

    /// <summary>Under an approved grant for <see cref="BreakGlassOperations.ListSubjects"/>: the tenant's subject ids. Audited.</summary>
    /// <exception cref="IntelliFaceApiException"><c>grant_not_approved</c>, <c>grant_expired</c>, <c>unknown_grant</c>;
    /// <c>forbidden</c> for an operation the grant does not name.</exception>
    public Task<SubjectIdList> ListSubjectsUnderGrantAsync(string grant, string tenant, CancellationToken cancellationToken = default) =>
        UseGrantAsync<SubjectIdList>(grant, new GrantUseBody(tenant, BreakGlassOperations.ListSubjects, null), cancellationToken);

    /// <summary>Under an approved grant for <see cref="BreakGlassOperations.ExportAudit"/>: the tenant's audit trail. Audited.</summary>
    /// <inheritdoc cref="ListSubjectsUnderGrantAsync" path="/exception"/>
    public Task<AuditTrail> ExportAuditUnderGrantAsync(string grant, string tenant, CancellationToken cancellationToken = default) =>
        UseGrantAsync<AuditTrail>(grant, new GrantUseBody(tenant, BreakGlassOperations.ExportAudit, null), cancellationToken);

    /// <summary>Under an approved grant for <see cref="BreakGlassOperations.ExportSubject"/>: one subject's export, metadata
    /// only (templates are exported only to the tenant itself). Audited.</summary>
    /// <inheritdoc cref="ListSubjectsUnderGrantAsync" path="/exception"/>
    public Task<SubjectExport> ExportSubjectUnderGrantAsync(string grant, string tenant, string subject, CancellationToken cancellationToken = default) =>
        UseGrantAsync<SubjectExport>(grant, new GrantUseBody(tenant, BreakGlassOperations.ExportSubject, subject), cancellationToken);

    /// <summary><c>/healthz</c> of the operator listener. Sends no key.</summary>
    public Task<ServiceStatus> HealthAsync(CancellationToken cancellationToken = default) => _channel.StatusAsync("healthz", cancellationToken);

    /// <summary><c>/readyz</c> of the operator listener. Sends no key.</summary>
    public Task<ServiceStatus> ReadyAsync(CancellationToken cancellationToken = default) => _channel.StatusAsync("readyz", cancellationToken);

    /// <summary>Any request to the operator listener with this client's key (<c>ops/v1/...</c>), for endpoints this version of
    /// the client does not know; <paramref name="content"/> is disposed. The answer's JSON, or null for an empty body.</summary>
    public Task<JsonElement?> SendAsync(HttpMethod method, string path, HttpContent? content = null, CancellationToken cancellationToken = default) =>
        _channel.SendAnyAsync(method, path, content, cancellationToken);

    private Task<T> UseGrantAsync<T>(string grant, GrantUseBody body, CancellationToken cancellationToken) =>
        _channel.GetDocumentAsync<T>(HttpMethod.Post, $"{GrantPath(grant)}/use", ApiChannel.Document(body), cancellationToken);

    private static string TenantPath(string tenant) => $"ops/v1/tenants/{ApiChannel.Escape(tenant, nameof(tenant))}";

    private static string GrantPath(string grant) => $"ops/v1/breakglass/{ApiChannel.Escape(grant, nameof(grant))}";

    private sealed record TenantBody(string Tenant, bool ConsentRequired, int? RetentionDays);

    private sealed record PolicyBody(bool ConsentRequired, int? RetentionDays);

    private sealed record ApiKeyBody(IReadOnlyList<string> Scopes);

    private sealed record GrantRequestBody(string Tenant, string Reason, string Ticket, IReadOnlyList<string> Operations, int Minutes);

    private sealed record GrantUseBody(string Tenant, string Operation, string? Subject);

    private sealed record TenantsDocument(IReadOnlyList<TenantInfo> Tenants);

    private sealed record KeysDocument(IReadOnlyList<ApiKeyInfo> Keys);

    private sealed record RetentionDocument(IReadOnlyList<RetentionErasure> Erased);

    private sealed record GrantsDocument(IReadOnlyList<BreakGlassGrant> Grants);
}
