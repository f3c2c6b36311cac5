using System.Collections.Concurrent;
using IntelliFace.Embedding;
using IntelliFace.Tenancy;

namespace IntelliFace.Vault;

/// <summary>A template opened for matching. The caller owns <see cref="Embedding"/> and clears it when done.</summary>
public sealed record OpenedTemplate(SubjectId Subject, TemplateId Id, FaceEmbedding Embedding);

/// <summary>
/// The vault: stores face templates sealed under per-tenant data keys, which are themselves wrapped by the
/// master key. Every operation is scoped to one tenant; nothing reads across tenants. Long-lived and
/// thread-safe: open it once per process. Unwrapped tenant keys are cached in memory until
/// <see cref="Dispose"/>, which wipes them and the master key; dispose only once no call is running.
/// </summary>
public sealed class TemplateVault : IDisposable
{
    private const int FirstKeyVersion = 1;

    private readonly IVaultStore _store;
    private readonly MasterKey _master;
    private readonly ConcurrentDictionary<(TenantId Tenant, int Version), TenantDataKey> _keys = new();
    private readonly ConcurrentDictionary<TenantId, int> _currentKeyVersions = new();
    private readonly Lock _keyLoading = new();
    private volatile bool _disposed;

    /// <summary>Takes ownership of <paramref name="store"/> and <paramref name="master"/>.</summary>
    /// <exception cref="FaceException"><c>key_unavailable</c> when the store's keys were wrapped by another master key.</exception>
    internal TemplateVault(IVaultStore store, MasterKey master)
    {
        var others = store.MasterKeyIds().Where(id => id != master.Id).ToArray();
        if (others.Length > 0)
        {
            // Fails at start-up rather than at the first request, and names the likely cause: a lost key
            // file replaced by a freshly generated one.
            throw new FaceException(FaceErrorCode.KeyUnavailable,
                $"The vault's tenant keys were wrapped by master key {string.Join(", ", others)}, but the supplied master key is {master.Id}. "
                + "Supply the original master key; a new key cannot open existing data.");
        }
        _store = store;
        _master = master;
    }

    /// <summary>
    /// Opens (creating when missing) <c>vault.db</c> in <paramref name="dataDirectory"/> and takes the master
    /// key from <paramref name="keys"/>. A new data directory is created owner-only.
    /// </summary>
    /// <exception cref="FaceException"><c>key_unavailable</c> when the master key is missing, malformed or not the vault's.</exception>
    public static TemplateVault OpenSqlite(string dataDirectory, IMasterKeyProvider keys)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(keys);
        if (!Directory.Exists(dataDirectory))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dataDirectory);
            else Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var store = SqliteVaultStore.Open(Path.Combine(dataDirectory, VaultPaths.DatabaseFileName));
        MasterKey? master = null;
        try
        {
            master = keys.GetMasterKey();
            return new TemplateVault(store, master);
        }
        catch
        {
            master?.Dispose();
            store.Dispose();
            throw;
        }
    }

    /// <summary>Creates the tenant's data key if the tenant has none yet. Adding a template does this too.</summary>
    public void EnsureTenant(TenantId tenant)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _ = CurrentKey(tenant);
    }

    /// <summary>Seals and stores one template of <paramref name="subject"/>, creating the subject (and the
    /// tenant's key) when new. Atomic: on failure nothing is stored.</summary>
    public TemplateId AddTemplate(TenantId tenant, SubjectId subject, FaceEmbedding embedding)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var key = CurrentKey(tenant);
        var id = TemplateId.New();
        var sealedTemplate = TemplateSeal.Seal(key, subject, id, embedding);
        _store.AddTemplate(new SealedTemplate(id, tenant, subject, embedding.Pack, key.Version, DateTimeOffset.UtcNow, sealedTemplate));
        return id;
    }

    /// <summary>The tenant's subjects ordered by id (ordinal); page with <paramref name="after"/> = the last id seen.</summary>
    public IReadOnlyList<SubjectSummary> ListSubjects(TenantId tenant, SubjectId? after = null, int limit = 1000)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _store.ListSubjects(tenant, after, limit);
    }

    /// <summary>Removes the subject and all its templates; false when the tenant has no such subject.</summary>
    public bool DeleteSubject(TenantId tenant, SubjectId subject)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _store.DeleteSubject(tenant, subject);
    }

    /// <summary>The packs that made the tenant's templates, so the caller can decide what to do about other packs.</summary>
    public IReadOnlyList<PackId> PacksOf(TenantId tenant)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _store.ListPacks(tenant, subject: null);
    }

    /// <summary>The packs that made one subject's templates.</summary>
    public IReadOnlyList<PackId> PacksOf(TenantId tenant, SubjectId subject)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _store.ListPacks(tenant, subject);
    }

    /// <summary>Opens all the tenant's templates made with <paramref name="pack"/> (a gallery), ordered by subject.</summary>
    /// <exception cref="FaceException"><c>template_unreadable</c> if any template was altered or moved; nothing is returned then.</exception>
    public IReadOnlyList<OpenedTemplate> LoadTemplates(TenantId tenant, PackId pack)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Open(_store.LoadTemplates(tenant, pack, subject: null));
    }

    /// <summary>Opens one subject's templates made with <paramref name="pack"/>.</summary>
    /// <exception cref="FaceException"><c>template_unreadable</c> if any template was altered or moved.</exception>
    public IReadOnlyList<OpenedTemplate> LoadTemplates(TenantId tenant, SubjectId subject, PackId pack)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Open(_store.LoadTemplates(tenant, pack, subject));
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_keyLoading)
        {
            foreach (var key in _keys.Values) key.Dispose();
            _keys.Clear();
            _currentKeyVersions.Clear();
        }
        _master.Dispose();
        _store.Dispose();
    }

    private List<OpenedTemplate> Open(IReadOnlyList<SealedTemplate> stored)
    {
        var opened = new List<OpenedTemplate>(stored.Count);
        try
        {
            foreach (var template in stored)
            {
                var key = KeyVersion(template.Tenant, template.KeyVersion);
                var embedding = TemplateSeal.Open(key, template.Subject, template.Id, template.Pack, template.Sealed);
                opened.Add(new OpenedTemplate(template.Subject, template.Id, embedding));
            }
            return opened;
        }
        catch
        {
            foreach (var template in opened) template.Embedding.Clear();
            throw;
        }
    }

    private TenantDataKey CurrentKey(TenantId tenant)
    {
        if (_currentKeyVersions.TryGetValue(tenant, out var version) && _keys.TryGetValue((tenant, version), out var cached))
            return cached;

        lock (_keyLoading)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var stored = _store.FindCurrentTenantKey(tenant);
            if (stored is null)
            {
                using var fresh = TenantDataKey.Generate(tenant, FirstKeyVersion);
                stored = _store.AddTenant(
                    new WrappedTenantKey(tenant, fresh.Version, _master.Id, TenantKeyWrap.Wrap(_master, fresh), DateTimeOffset.UtcNow));
            }
            var key = Unwrapped(stored);
            _currentKeyVersions[tenant] = key.Version;
            return key;
        }
    }

    private TenantDataKey KeyVersion(TenantId tenant, int version)
    {
        if (_keys.TryGetValue((tenant, version), out var cached)) return cached;

        lock (_keyLoading)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var stored = _store.FindTenantKey(tenant, version)
                ?? throw new FaceException(FaceErrorCode.KeyUnavailable, $"Tenant {tenant} has no data key v{version}.");
            return Unwrapped(stored);
        }
    }

    /// <summary>Unwraps and caches; callers hold <see cref="_keyLoading"/>.</summary>
    private TenantDataKey Unwrapped(WrappedTenantKey stored)
    {
        if (_keys.TryGetValue((stored.Tenant, stored.KeyVersion), out var cached)) return cached;
        var key = TenantKeyWrap.Unwrap(_master, stored.Tenant, stored.KeyVersion, stored.Wrapped);
        _keys[(stored.Tenant, stored.KeyVersion)] = key;
        return key;
    }
}
