using IntelliFace.Embedding;
using IntelliFace.Tenancy;

namespace IntelliFace.Vault;

/// <summary>
/// Durable storage of wrapped keys and sealed templates. A store never sees a plaintext key or embedding:
/// <see cref="TemplateVault"/> encrypts before and decrypts after. Every read and write is scoped to one
/// tenant. Implementations are thread-safe and make each write atomic.
/// </summary>
internal interface IVaultStore : IDisposable
{
    /// <summary>The ids of every master key that wrapped a tenant key in this store.</summary>
    IReadOnlyList<string> MasterKeyIds();

    WrappedTenantKey? FindTenantKey(TenantId tenant, int keyVersion);

    /// <summary>The tenant's newest key version, the one that seals new templates; null for an unknown tenant.</summary>
    WrappedTenantKey? FindCurrentTenantKey(TenantId tenant);

    /// <summary>Adds the tenant with its first key unless it already has one; returns the key now stored,
    /// which is another caller's when two add the same tenant at once.</summary>
    WrappedTenantKey AddTenant(WrappedTenantKey firstKey);

    /// <summary>Adds the template, and its subject when new, in one transaction.</summary>
    void AddTemplate(SealedTemplate template);

    /// <summary>Subjects ordered by id (ordinal), starting after <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    IReadOnlyList<SubjectSummary> ListSubjects(TenantId tenant, SubjectId? after, int limit);

    /// <summary>Removes the subject and all its templates; false when there was no such subject.</summary>
    bool DeleteSubject(TenantId tenant, SubjectId subject);

    /// <summary>The packs the tenant's templates (or one subject's, when given) were made with, ordered.</summary>
    IReadOnlyList<PackId> ListPacks(TenantId tenant, SubjectId? subject);

    /// <summary>The tenant's templates of one pack (of one subject, when given), ordered by subject then creation.</summary>
    IReadOnlyList<SealedTemplate> LoadTemplates(TenantId tenant, PackId pack, SubjectId? subject);
}

/// <summary>A tenant data key as stored: sealed under the master key <paramref name="MasterKeyId"/>.</summary>
internal sealed record WrappedTenantKey(TenantId Tenant, int KeyVersion, string MasterKeyId, byte[] Wrapped, DateTimeOffset CreatedUtc);

/// <summary>A template as stored: the embedding exists only inside <paramref name="Sealed"/>.</summary>
internal sealed record SealedTemplate(
    TemplateId Id, TenantId Tenant, SubjectId Subject, PackId Pack, int KeyVersion, DateTimeOffset CreatedUtc, byte[] Sealed);

/// <summary>A subject of a tenant, with how many templates it has and which packs made them.</summary>
public sealed record SubjectSummary(SubjectId Subject, DateTimeOffset CreatedUtc, int TemplateCount, IReadOnlyList<PackId> Packs);
