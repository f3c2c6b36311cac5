using System.Data.Common;
using System.Security.Cryptography;
using IntelliFace.Vault;
using IntelliFace.Vault.Storage;

namespace IntelliFace.Tenancy;

/// <summary>An API key as listed: never its secret.</summary>
public sealed record ApiKeyInfo(string KeyId, CallerRole Role, TenantId? Tenant, string? OperatorName, Scopes Scopes, DateTimeOffset CreatedUtc, DateTimeOffset? RevokedUtc);

/// <summary>The credentials table: tenant API keys and operator keys, stored as key id and secret hash.</summary>
internal sealed class CredentialStore(SqlDatabase database)
{
    private const string Columns = "key_id, kind, tenant_id, operator, scopes, created_ms, revoked_ms";

    public void Add(ApiKeyToken token, CallerRole role, TenantId? tenant, string? operatorName, Scopes scopes, DateTimeOffset createdUtc) =>
        database.Write(session => session.Execute(
            "INSERT INTO credentials (key_id, kind, tenant_id, operator, scopes, secret_hash, created_ms) VALUES (@id, @kind, @tenant, @operator, @scopes, @hash, @created)",
            ("@id", token.KeyId), ("@kind", role == CallerRole.Operator ? "operator" : "tenant"), ("@tenant", tenant?.Value), ("@operator", operatorName),
            ("@scopes", ScopeNames.Format(scopes)), ("@hash", token.SecretHash()), ("@created", StoredTime.Of(createdUtc))));

    /// <summary>The stored key and its secret hash, revoked or not.</summary>
    public (ApiKeyInfo Info, byte[] SecretHash)? Find(string keyId) => database.Read(session => session.Query(
        $"SELECT {Columns}, secret_hash FROM credentials WHERE key_id = @id", reader => (Read(reader), (byte[])reader.GetValue(7)), ("@id", keyId))
        .Select(row => ((ApiKeyInfo, byte[])?)row).SingleOrDefault());

    /// <summary>Tenant keys of <paramref name="tenant"/>, or operator keys when it is null.</summary>
    public IReadOnlyList<ApiKeyInfo> List(TenantId? tenant) => database.Read(session => tenant is { } one
        ? session.Query($"SELECT {Columns} FROM credentials WHERE tenant_id = @tenant ORDER BY created_ms, key_id", Read, ("@tenant", one.Value))
        : session.Query($"SELECT {Columns} FROM credentials WHERE kind = 'operator' ORDER BY created_ms, key_id", Read));

    public bool Revoke(string keyId, DateTimeOffset revokedUtc) => database.Write(session => session.Execute(
        "UPDATE credentials SET revoked_ms = @revoked WHERE key_id = @id AND revoked_ms IS NULL", ("@revoked", StoredTime.Of(revokedUtc)), ("@id", keyId)) == 1);

    private static ApiKeyInfo Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1) == "operator" ? CallerRole.Operator : CallerRole.Tenant,
        reader.IsDBNull(2) ? null : new TenantId(reader.GetString(2)),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        ScopeNames.Parse(reader.GetString(4)),
        StoredTime.From(reader, 5),
        StoredTime.FromNullable(reader, 6));
}

/// <summary>
/// Turns a presented API key into the <see cref="Caller"/> it stands for, or refuses it. The one entry point
/// hosts use (the CLI reads <c>INTELLIFACE_API_KEY</c>; the HTTP service reads its header). Thread-safe.
/// </summary>
public sealed class ApiKeyAuthenticator
{
    private static readonly byte[] Decoy = new byte[SHA256.HashSizeInBytes];

    private readonly CredentialStore _credentials;
    private readonly TenantDirectory _tenants;

    public ApiKeyAuthenticator(TemplateVault vault)
    {
        ArgumentNullException.ThrowIfNull(vault);
        _credentials = vault.Credentials;
        _tenants = vault.Tenants;
    }

    /// <summary>The caller <paramref name="presented"/> authenticates.</summary>
    /// <exception cref="FaceException"><c>unauthorized</c> when the key is malformed, unknown, revoked or does not
    /// match (one message for all, so a caller learns nothing about which); <c>tenant_suspended</c> when its tenant is suspended.</exception>
    public Caller Authenticate(string? presented)
    {
        if (string.IsNullOrWhiteSpace(presented))
            throw new FaceException(FaceErrorCode.Unauthorized, "An API key is required.");
        using var token = ApiKeyToken.Parse(presented);
        var stored = _credentials.Find(token.KeyId);
        var presentedHash = token.SecretHash();
        // Compared even for an unknown key id, so the time taken does not tell known ids from unknown ones.
        var matches = CryptographicOperations.FixedTimeEquals(presentedHash, stored?.SecretHash ?? Decoy);
        if (stored is not { } found || !matches || found.Info.RevokedUtc is not null)
            throw new FaceException(FaceErrorCode.Unauthorized, "The API key is unknown or revoked.");

        var info = found.Info;
        if (info.Role == CallerRole.Operator) return Caller.ForOperator(info.OperatorName!);
        var tenant = _tenants.Find(info.Tenant!.Value);
        if (tenant is null || tenant.Status == TenantStatus.Deleting)
            throw new FaceException(FaceErrorCode.Unauthorized, "The API key is unknown or revoked.");
        if (tenant.Status == TenantStatus.Suspended)
            throw new FaceException(FaceErrorCode.TenantSuspended, $"Tenant {tenant.Id} is suspended.");
        return Caller.ForTenant(info.KeyId, info.Tenant.Value, info.Scopes);
    }
}
