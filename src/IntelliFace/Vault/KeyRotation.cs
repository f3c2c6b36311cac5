using IntelliFace.Audit;
using IntelliFace.Tenancy;

namespace IntelliFace.Vault;

/// <summary>What one rotation run did.</summary>
/// <param name="FromVersion">The tenant key version (or master key id) being replaced.</param>
/// <param name="ToVersion">The new tenant key version (or master key id).</param>
/// <param name="Rewrapped">Keys re-wrapped by this run (a resumed run counts only its own).</param>
/// <param name="Resumed">True when this run finished a rotation that an earlier run had started.</param>
public sealed record RotationResult(string FromVersion, string ToVersion, long Rewrapped, bool Resumed);

/// <summary>
/// Key rotation, online and crash-safe. Every step is one transaction that leaves the vault readable: a key
/// is re-wrapped in place (compare-and-set on the key that wrapped it), never copied, so each key exists
/// wrapped exactly once at every moment, and templates are never re-sealed. A run killed at any point is
/// finished by running it again, which picks up the keys still wrapped by the old key.
/// </summary>
internal sealed class KeyRotation(TemplateVault vault)
{
    public const int DefaultBatchSize = 500;

    /// <summary>
    /// Rotates the tenant's data key: adds version n+1, re-wraps every subject key from older versions to it in
    /// batches, then destroys the older versions. When an earlier run stopped half-way, finishes that rotation
    /// instead of starting another.
    /// </summary>
    /// <exception cref="FaceException"><c>unknown_tenant</c> when the tenant has no key.</exception>
    public RotationResult RotateTenantKey(TenantId tenant, int batchSize = DefaultBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var current = vault.Keys.FindCurrentTenantKey(tenant)
            ?? throw new FaceException(FaceErrorCode.UnknownTenant, $"There is no tenant {tenant}.");
        var older = vault.Keys.TenantKeys(tenant).Where(k => k.KeyVersion < current.KeyVersion).Select(k => k.KeyVersion).ToArray();
        var resumed = older.Length > 0;
        var target = current;
        if (!resumed)
        {
            using var fresh = TenantDataKey.Generate(tenant, current.KeyVersion + 1);
            target = vault.Keys.AddTenantKey(new WrappedTenantKey(
                tenant, fresh.Version, vault.WrappingMaster.Id, TenantKeyWrap.Wrap(vault.WrappingMaster, fresh), vault.Time.GetUtcNow()));
        }

        var targetKey = vault.TenantKeyVersion(tenant, target.KeyVersion);
        long rewrapped = 0;
        while (true)
        {
            var batch = vault.Keys.SubjectKeysWrappedBefore(tenant, target.KeyVersion, batchSize);
            if (batch.Count == 0) break;
            var replacements = batch.Select(stored =>
            {
                using var key = SubjectKeyWrap.Unwrap(vault.TenantKeyVersion(tenant, stored.TenantKeyVersion), stored.Subject, stored.KeyVersion, stored.Wrapped);
                return (stored with { TenantKeyVersion = target.KeyVersion, Wrapped = SubjectKeyWrap.Wrap(targetKey, key) }, stored.TenantKeyVersion);
            }).ToList();
            rewrapped += vault.Keys.RewrapSubjectKeys(replacements);
        }

        vault.Keys.DeleteRetiredTenantKeys(tenant, target.KeyVersion);
        vault.ForgetTenantKeys(tenant, belowVersion: target.KeyVersion);
        var from = resumed ? older.Min() : current.KeyVersion;
        return new RotationResult($"v{from}", $"v{target.KeyVersion}", rewrapped, resumed);
    }

    /// <summary>
    /// Re-wraps every tenant key and the audit key from the vault's master key to the master key the vault was
    /// opened to rotate to (<see cref="TemplateVault.OpenForMasterRotation"/>), in batches. Once it returns,
    /// nothing is wrapped by the old master key any more: install the new key in its place, then destroy the old one.
    /// </summary>
    public RotationResult RotateMasterKey(int batchSize = DefaultBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var next = vault.NextMaster ?? throw new InvalidOperationException("The vault was not opened for a master key rotation.");
        var resumed = vault.Keys.MasterKeyIds().Contains(next.Id);
        long rewrapped = 0;
        while (true)
        {
            var batch = vault.Keys.TenantKeysNotWrappedBy(next.Id, batchSize);
            if (batch.Count == 0) break;
            var replacements = batch.Select(stored =>
            {
                using var key = TenantKeyWrap.Unwrap(vault.MasterFor(stored.MasterKeyId), stored.Tenant, stored.KeyVersion, stored.Wrapped);
                return (stored with { MasterKeyId = next.Id, Wrapped = TenantKeyWrap.Wrap(next, key) }, stored.MasterKeyId);
            }).ToList();
            rewrapped += vault.Keys.RewrapTenantKeys(replacements);
        }
        foreach (var stored in vault.Keys.VaultKeysNotWrappedBy(next.Id))
        {
            using var auditKey = AuditKey.Unwrap(vault.MasterFor(stored.MasterKeyId), stored.Wrapped);
            if (vault.Keys.RewrapVaultKey(stored with { MasterKeyId = next.Id, Wrapped = auditKey.Rewrap(next) }, stored.MasterKeyId)) rewrapped++;
        }
        return new RotationResult(vault.Master.Id, next.Id, rewrapped, resumed);
    }
}
