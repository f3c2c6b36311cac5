using System.Collections.Concurrent;
using IntelliFace.Audit;
using IntelliFace.Embedding;
using IntelliFace.Tenancy;
using IntelliFace.Vault.Storage;

namespace IntelliFace.Vault;

/// <summary>A template opened for matching. The caller owns <see cref="Embedding"/> and clears it when done.</summary>
public sealed record OpenedTemplate(SubjectId Subject, TemplateId Id, FaceEmbedding Embedding);

/// <summary>
/// The vault: stores face templates sealed under per-subject keys, which are wrapped by per-tenant data keys,
/// which are wrapped by the master key. Erasing a subject destroys its key, so its templates become unreadable
/// wherever a copy of them exists. Every operation is scoped to one tenant; nothing reads across tenants.
/// Long-lived and thread-safe: open it once per process. Unwrapped tenant keys are cached in memory (subject
/// keys never are) until the tenant's keys change or <see cref="Dispose"/>, which wipes them and the master
/// key; dispose only once no call is running.
/// </summary>
public sealed class TemplateVault : IDisposable
{
    private const int FirstKeyVersion = 1;

    private readonly ConcurrentDictionary<(TenantId Tenant, int Version), TenantDataKey> _tenantKeys = new();
    private readonly Lock _keyLoading = new();
    private readonly AuditKey _auditKey;
    private volatile bool _disposed;

    /// <summary>Takes ownership of the stores and <paramref name="master"/>.</summary>
    /// <exception cref="FaceException"><c>key_unavailable</c> when the store's keys were wrapped by another master key.</exception>
    internal TemplateVault(KeyStore keys, TemplateStore templates, IMasterKey master, TimeProvider? time = null, IMasterKey? nextMaster = null)
    {
        var others = keys.MasterKeyIds().Where(id => id != master.Id && id != nextMaster?.Id).ToArray();
        if (others.Length > 0)
        {
            // Fails at start-up rather than at the first request, and names the likely cause: a lost key
            // file replaced by a freshly generated one.
            throw new FaceException(FaceErrorCode.KeyUnavailable,
                $"The vault's keys were wrapped by master key {string.Join(", ", others)}, but the supplied master key is {master.Id}. "
                + "Supply the original master key; a new key cannot open existing data.");
        }
        Keys = keys;
        Templates = templates;
        Master = master;
        NextMaster = nextMaster;
        Time = time ?? TimeProvider.System;
        Tenants = new TenantDirectory(templates.Database);
        Credentials = new CredentialStore(templates.Database);
        Grants = new GrantStore(templates.Database);
        Consents = new ConsentStore(templates.Database);
        _auditKey = AuditKey.Load(keys, WrappingMaster, MasterFor);
        Audit = new AuditLog(templates.Database, _auditKey, Time);
    }

    /// <summary>The vault's tamper-evident audit log.</summary>
    public AuditLog Audit { get; }

    /// <summary>The clock every expiry and timestamp of the vault reads.</summary>
    public TimeProvider Time { get; }

    internal KeyStore Keys { get; }

    internal TemplateStore Templates { get; }

    internal IMasterKey Master { get; }

    /// <summary>The master key being rotated to, when opened with <see cref="OpenForMasterRotation"/>.</summary>
    internal IMasterKey? NextMaster { get; }

    internal TenantDirectory Tenants { get; }

    internal CredentialStore Credentials { get; }

    internal GrantStore Grants { get; }

    internal ConsentStore Consents { get; }

    /// <summary>
    /// Opens (creating when missing) <c>vault.db</c> and the key store <c>keys.db</c> in <paramref name="dataDirectory"/>
    /// and takes the master key from <paramref name="keys"/>. A new data directory is created owner-only.
    /// </summary>
    /// <exception cref="FaceException"><c>key_unavailable</c> when the master key is missing, malformed or not the vault's.</exception>
    public static TemplateVault OpenSqlite(string dataDirectory, IMasterKeyProvider keys) => Open(VaultLocation.SqliteFolder(dataDirectory), keys);

    /// <summary>Opens the vault at <paramref name="location"/>, creating its tables when missing.</summary>
    /// <exception cref="FaceException"><c>key_unavailable</c> when the master key is missing, malformed or not the vault's;
    /// <c>store_unavailable</c> when a database cannot be used.</exception>
    public static TemplateVault Open(VaultLocation location, IMasterKeyProvider keys) => Open(location, keys, TimeProvider.System);

    /// <summary>Opens the vault to rotate its master key from <paramref name="keys"/>' key to <paramref name="nextKeys"/>' key:
    /// keys wrapped by either open, so a rotation cut short resumes.</summary>
    internal static TemplateVault OpenForMasterRotation(VaultLocation location, IMasterKeyProvider keys, IMasterKeyProvider nextKeys) =>
        Open(location, keys, TimeProvider.System, nextKeys);

    internal static TemplateVault Open(VaultLocation location, IMasterKeyProvider keys, TimeProvider time, IMasterKeyProvider? nextKeys = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(keys);
        var (vaultDatabase, keyDatabase) = location.OpenDatabases();
        KeyStore? keyStore = null;
        IMasterKey? master = null, nextMaster = null;
        try
        {
            VaultSchema.Ensure(vaultDatabase);
            keyStore = new KeyStore(keyDatabase);
            master = keys.GetMasterKey();
            nextMaster = nextKeys?.GetMasterKey();
            if (nextMaster?.Id == master.Id)
                throw new FaceException(FaceErrorCode.InvalidArgument, $"The new master key is the current one ({master.Id}).");
            return new TemplateVault(keyStore, new TemplateStore(vaultDatabase), master, time, nextMaster);
        }
        catch
        {
            nextMaster?.Dispose();
            master?.Dispose();
            if (keyStore is null) keyDatabase.Dispose();
            else keyStore.Dispose();
            vaultDatabase.Dispose();
            throw;
        }
    }

    /// <summary>Creates the tenant and its first data key if missing. Adding a template does this too.</summary>
    public void EnsureTenant(TenantId tenant)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Tenants.Create(tenant, consentRequired: false, retentionDays: null, Time.GetUtcNow());
        _ = CurrentTenantKey(tenant);
    }

    /// <summary>Seals and stores one template of <paramref name="subject"/> under the subject's key, creating the
    /// subject and its key (and the tenant with its key) when new. On failure no template is stored.</summary>
    public TemplateId AddTemplate(TenantId tenant, SubjectId subject, FaceEmbedding embedding)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ObjectDisposedException.ThrowIf(_disposed, this);
        Tenants.Create(tenant, consentRequired: false, retentionDays: null, Time.GetUtcNow());
        using var key = SubjectKeyOf(tenant, subject, createIfMissing: true)!;
        var id = TemplateId.New();
        var sealedTemplate = TemplateSeal.Seal(key, id, embedding);
        Templates.AddTemplate(new SealedTemplate(id, tenant, subject, embedding.Pack, key.Version, Time.GetUtcNow(), sealedTemplate));
        return id;
    }

    /// <summary>The tenant's subjects ordered by id (ordinal); page with <paramref name="after"/> = the last id seen.</summary>
    public IReadOnlyList<SubjectSummary> ListSubjects(TenantId tenant, SubjectId? after = null, int limit = 1000)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Templates.ListSubjects(tenant, after, limit);
    }

    /// <summary>
    /// Erases the subject: destroys its key first (from then on its templates cannot be opened, backups of the
    /// vault database included), then removes its rows. False when the tenant had no such subject. Safe to
    /// repeat after a crash in between.
    /// </summary>
    public bool DeleteSubject(TenantId tenant, SubjectId subject)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var hadKey = Keys.DeleteSubjectKey(tenant, subject);
        var hadRows = Templates.DeleteSubject(tenant, subject);
        return hadKey || hadRows;
    }

    /// <summary>The packs that made the tenant's templates, so the caller can decide what to do about other packs.</summary>
    public IReadOnlyList<PackId> PacksOf(TenantId tenant)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Templates.ListPacks(tenant, subject: null);
    }

    /// <summary>The packs that made one subject's templates.</summary>
    public IReadOnlyList<PackId> PacksOf(TenantId tenant, SubjectId subject)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Templates.ListPacks(tenant, subject);
    }

    /// <summary>Opens all the tenant's templates made with <paramref name="pack"/> (a gallery), ordered by subject.
    /// Templates whose subject key was destroyed are erased data and are not returned.</summary>
    /// <exception cref="FaceException"><c>template_unreadable</c> if any template was altered or moved; nothing is returned then.</exception>
    public IReadOnlyList<OpenedTemplate> LoadTemplates(TenantId tenant, PackId pack)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var stored = Templates.LoadTemplates(tenant, pack, subject: null);
        if (stored.Count == 0) return [];
        var subjectKeys = Keys.SubjectKeys(tenant);
        return Open(stored.Where(template => subjectKeys.ContainsKey(template.Subject)), subject => subjectKeys[subject]);
    }

    /// <summary>Opens one subject's templates made with <paramref name="pack"/>.</summary>
    /// <exception cref="FaceException"><c>template_unreadable</c> if any template was altered or moved;
    /// <c>key_unavailable</c> when the subject's key was destroyed (the subject was erased).</exception>
    public IReadOnlyList<OpenedTemplate> LoadTemplates(TenantId tenant, SubjectId subject, PackId pack)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var stored = Templates.LoadTemplates(tenant, pack, subject);
        if (stored.Count == 0) return [];
        var key = Keys.FindSubjectKey(tenant, subject) ?? throw Erased(tenant, subject);
        return Open(stored, _ => key);
    }

    /// <summary>Whether both databases answer a trivial query now (a readiness probe); never throws for a database error.</summary>
    public bool Answers()
    {
        if (_disposed) return false;
        try
        {
            Templates.Database.Read(session => session.Scalar("SELECT 1"));
            Keys.Database.Read(session => session.Scalar("SELECT 1"));
            return true;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException or FaceException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_keyLoading)
        {
            foreach (var key in _tenantKeys.Values) key.Dispose();
            _tenantKeys.Clear();
        }
        _auditKey.Dispose();
        NextMaster?.Dispose();
        Master.Dispose();
        Keys.Dispose();
        Templates.Database.Dispose();
    }

    /// <summary>How many unwrapped tenant data keys of <paramref name="tenant"/> this process holds in memory.</summary>
    internal int CachedKeyCount(TenantId tenant) => _tenantKeys.Keys.Count(key => key.Tenant == tenant);

    /// <summary>Wipes and forgets the cached keys of <paramref name="tenant"/> (all versions, or those below <paramref name="belowVersion"/>).</summary>
    internal void ForgetTenantKeys(TenantId tenant, int belowVersion = int.MaxValue)
    {
        lock (_keyLoading)
        {
            foreach (var entry in _tenantKeys.Keys.Where(key => key.Tenant == tenant && key.Version < belowVersion).ToArray())
            {
                if (_tenantKeys.TryRemove(entry, out var key)) key.Dispose();
            }
        }
    }

    /// <summary>The subject's unwrapped key, which the caller disposes; null when it has none and
    /// <paramref name="createIfMissing"/> is false.</summary>
    internal SubjectKey? SubjectKeyOf(TenantId tenant, SubjectId subject, bool createIfMissing)
    {
        var stored = Keys.FindSubjectKey(tenant, subject);
        if (stored is null)
        {
            if (!createIfMissing) return null;
            var tenantKey = CurrentTenantKey(tenant);
            using var fresh = SubjectKey.Generate(tenant, subject, FirstKeyVersion);
            stored = Keys.AddSubjectKey(new WrappedSubjectKey(
                tenant, subject, fresh.Version, tenantKey.Version, SubjectKeyWrap.Wrap(tenantKey, fresh), Time.GetUtcNow()));
        }
        return SubjectKeyWrap.Unwrap(TenantKeyVersion(tenant, stored.TenantKeyVersion), subject, stored.KeyVersion, stored.Wrapped);
    }

    /// <summary>The tenant's newest data key (creating version 1 when the tenant has none).</summary>
    internal TenantDataKey CurrentTenantKey(TenantId tenant)
    {
        var stored = Keys.FindCurrentTenantKey(tenant);
        if (stored is null)
        {
            using var fresh = TenantDataKey.Generate(tenant, FirstKeyVersion);
            stored = Keys.AddTenantKey(new WrappedTenantKey(tenant, fresh.Version, WrappingMaster.Id, TenantKeyWrap.Wrap(WrappingMaster, fresh), Time.GetUtcNow()));
        }
        return Unwrapped(stored);
    }

    internal TenantDataKey TenantKeyVersion(TenantId tenant, int version)
    {
        if (_tenantKeys.TryGetValue((tenant, version), out var cached)) return cached;
        var stored = Keys.FindTenantKey(tenant, version)
            ?? throw new FaceException(FaceErrorCode.KeyUnavailable, $"Tenant {tenant} has no data key v{version}.");
        return Unwrapped(stored);
    }

    private TenantDataKey Unwrapped(WrappedTenantKey stored)
    {
        if (_tenantKeys.TryGetValue((stored.Tenant, stored.KeyVersion), out var cached)) return cached;
        lock (_keyLoading)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_tenantKeys.TryGetValue((stored.Tenant, stored.KeyVersion), out cached)) return cached;
            var key = TenantKeyWrap.Unwrap(MasterFor(stored.MasterKeyId), stored.Tenant, stored.KeyVersion, stored.Wrapped);
            _tenantKeys[(stored.Tenant, stored.KeyVersion)] = key;
            return key;
        }
    }

    /// <summary>The master key that wraps new keys: the one being rotated to, during a rotation.</summary>
    internal IMasterKey WrappingMaster => NextMaster ?? Master;

    /// <summary>The master key with <paramref name="masterKeyId"/>: the vault's, or the one it rotates to.</summary>
    internal IMasterKey MasterFor(string masterKeyId) =>
        NextMaster?.Id == masterKeyId ? NextMaster : Master;

    private List<OpenedTemplate> Open(IEnumerable<SealedTemplate> stored, Func<SubjectId, WrappedSubjectKey> wrappedKeyOf)
    {
        var opened = new List<OpenedTemplate>();
        SubjectKey? key = null;
        try
        {
            foreach (var template in stored)
            {
                // Templates come ordered by subject, so each subject key is unwrapped once and wiped after its templates.
                if (key is null || key.Subject != template.Subject)
                {
                    key?.Dispose();
                    var wrapped = wrappedKeyOf(template.Subject);
                    key = SubjectKeyWrap.Unwrap(TenantKeyVersion(template.Tenant, wrapped.TenantKeyVersion), template.Subject, wrapped.KeyVersion, wrapped.Wrapped);
                }
                if (template.KeyVersion != key.Version) throw TemplateSeal.Unreadable(template.Id);
                opened.Add(new OpenedTemplate(template.Subject, template.Id, TemplateSeal.Open(key, template.Id, template.Pack, template.Sealed)));
            }
            return opened;
        }
        catch
        {
            foreach (var template in opened) template.Embedding.Clear();
            throw;
        }
        finally
        {
            key?.Dispose();
        }
    }

    private static FaceException Erased(TenantId tenant, SubjectId subject) =>
        new(FaceErrorCode.KeyUnavailable, $"Subject {subject} of tenant {tenant} has no key: it was erased, and its templates can never be opened.");
}
