using System.Data.Common;
using IntelliFace.Tenancy;
using IntelliFace.Vault.Storage;

namespace IntelliFace.Vault;

/// <summary>A tenant data key as stored: wrapped by the master key <paramref name="MasterKeyId"/>.</summary>
internal sealed record WrappedTenantKey(TenantId Tenant, int KeyVersion, string MasterKeyId, byte[] Wrapped, DateTimeOffset CreatedUtc);

/// <summary>A subject key as stored: wrapped by version <paramref name="TenantKeyVersion"/> of its tenant's data key.</summary>
internal sealed record WrappedSubjectKey(TenantId Tenant, SubjectId Subject, int KeyVersion, int TenantKeyVersion, byte[] Wrapped, DateTimeOffset CreatedUtc);

/// <summary>A key the vault itself owns (the audit key), wrapped by the master key <paramref name="MasterKeyId"/>.</summary>
internal sealed record WrappedVaultKey(string Name, int KeyVersion, string MasterKeyId, byte[] Wrapped, DateTimeOffset CreatedUtc);

/// <summary>
/// The key store: every wrapped key of the hierarchy below the master key, kept apart from the templates on
/// purpose. A template database copied before a subject was erased cannot be opened once this store has
/// dropped the subject's key, because the key was never in that copy. Back it up on its own, with a retention
/// no longer than the erasure promise. Holds no plaintext key. Thread-safe; each write is atomic.
/// </summary>
internal sealed class KeyStore : IDisposable
{
    public const int SchemaVersion = 1;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS tenant_keys (
            tenant_id     TEXT NOT NULL,
            key_version   {int} NOT NULL CHECK (key_version >= 1),
            master_key_id TEXT NOT NULL,
            wrapped_key   {blob} NOT NULL,
            created_ms    {int} NOT NULL,
            PRIMARY KEY (tenant_id, key_version)
        ){strict};
        CREATE TABLE IF NOT EXISTS subject_keys (
            tenant_id          TEXT NOT NULL,
            subject_id         TEXT NOT NULL,
            key_version        {int} NOT NULL CHECK (key_version >= 1),
            tenant_key_version {int} NOT NULL,
            wrapped_key        {blob} NOT NULL,
            created_ms         {int} NOT NULL,
            PRIMARY KEY (tenant_id, subject_id),
            FOREIGN KEY (tenant_id, tenant_key_version) REFERENCES tenant_keys (tenant_id, key_version)
        ){strict};
        CREATE INDEX IF NOT EXISTS subject_keys_by_wrapping ON subject_keys (tenant_id, tenant_key_version);
        CREATE TABLE IF NOT EXISTS vault_keys (
            name          TEXT NOT NULL PRIMARY KEY,
            key_version   {int} NOT NULL,
            master_key_id TEXT NOT NULL,
            wrapped_key   {blob} NOT NULL,
            created_ms    {int} NOT NULL
        ){strict}
        """;

    private const string TenantKeyColumns = "tenant_id, key_version, master_key_id, wrapped_key, created_ms";
    private const string SubjectKeyColumns = "tenant_id, subject_id, key_version, tenant_key_version, wrapped_key, created_ms";

    private readonly SqlDatabase _database;

    public KeyStore(SqlDatabase database)
    {
        _database = database;
        _database.EnsureSchema("key_store_schema", SchemaVersion, Schema, "key store");
    }

    public SqlDatabase Database => _database;

    /// <summary>The ids of every master key that wrapped a key in this store.</summary>
    public IReadOnlyList<string> MasterKeyIds() => _database.Read(session => session.Query(
        "SELECT master_key_id FROM tenant_keys UNION SELECT master_key_id FROM vault_keys ORDER BY 1", reader => reader.GetString(0)));

    public WrappedTenantKey? FindTenantKey(TenantId tenant, int keyVersion) => _database.Read(session => session.Query(
        $"SELECT {TenantKeyColumns} FROM tenant_keys WHERE tenant_id = @tenant AND key_version = @version",
        ReadTenantKey, ("@tenant", tenant.Value), ("@version", (long)keyVersion)).SingleOrDefault());

    /// <summary>The tenant's newest key version, the one that wraps new subject keys; null when the tenant has none.</summary>
    public WrappedTenantKey? FindCurrentTenantKey(TenantId tenant) => _database.Read(session => CurrentTenantKey(session, tenant));

    public IReadOnlyList<WrappedTenantKey> TenantKeys(TenantId tenant) => _database.Read(session => session.Query(
        $"SELECT {TenantKeyColumns} FROM tenant_keys WHERE tenant_id = @tenant ORDER BY key_version", ReadTenantKey, ("@tenant", tenant.Value)));

    /// <summary>Adds <paramref name="key"/> as the tenant's next version only if the newest stored version is
    /// <paramref name="key"/>.KeyVersion - 1; returns the newest version stored afterwards, which is another
    /// caller's when two add at once.</summary>
    public WrappedTenantKey AddTenantKey(WrappedTenantKey key) => _database.Write(session =>
    {
        session.Execute($"""
            INSERT INTO tenant_keys ({TenantKeyColumns})
            SELECT @tenant, @version, @master, @wrapped, @created
            WHERE (SELECT COALESCE(MAX(key_version), 0) FROM tenant_keys WHERE tenant_id = @tenant) = @version - 1
            ON CONFLICT DO NOTHING
            """,
            ("@tenant", key.Tenant.Value), ("@version", (long)key.KeyVersion), ("@master", key.MasterKeyId),
            ("@wrapped", key.Wrapped), ("@created", StoredTime.Of(key.CreatedUtc)));
        return CurrentTenantKey(session, key.Tenant)!;
    });

    /// <summary>Replaces the wrapping of a batch of tenant key versions in one transaction; each row only if it is
    /// still wrapped by the master key it was read with. Returns how many rows changed.</summary>
    public int RewrapTenantKeys(IReadOnlyList<(WrappedTenantKey Rewrapped, string PreviousMasterKeyId)> batch) => _database.Write(session =>
        batch.Sum(item => session.Execute("""
            UPDATE tenant_keys SET master_key_id = @master, wrapped_key = @wrapped
            WHERE tenant_id = @tenant AND key_version = @version AND master_key_id = @previous
            """,
            ("@master", item.Rewrapped.MasterKeyId), ("@wrapped", item.Rewrapped.Wrapped), ("@tenant", item.Rewrapped.Tenant.Value),
            ("@version", (long)item.Rewrapped.KeyVersion), ("@previous", item.PreviousMasterKeyId))));

    /// <summary>How many of the tenant's subject keys are wrapped by each tenant key version.</summary>
    public IReadOnlyDictionary<int, long> SubjectKeysPerTenantKeyVersion(TenantId tenant) => _database.Read(session => session.Query(
        "SELECT tenant_key_version, COUNT(*) FROM subject_keys WHERE tenant_id = @tenant GROUP BY tenant_key_version",
        reader => (Version: checked((int)reader.GetInt64(0)), Count: reader.GetInt64(1)), ("@tenant", tenant.Value)))
        .ToDictionary(row => row.Version, row => row.Count);

    /// <summary>Up to <paramref name="limit"/> tenant keys wrapped by any master key but <paramref name="masterKeyId"/>.</summary>
    public IReadOnlyList<WrappedTenantKey> TenantKeysNotWrappedBy(string masterKeyId, int limit) => _database.Read(session => session.Query(
        $"SELECT {TenantKeyColumns} FROM tenant_keys WHERE master_key_id <> @master ORDER BY tenant_id, key_version LIMIT @limit",
        ReadTenantKey, ("@master", masterKeyId), ("@limit", (long)limit)));

    /// <summary>Deletes the tenant's key versions older than <paramref name="currentVersion"/> that wrap no
    /// subject key any more (crypto-shredding them); returns how many.</summary>
    public int DeleteRetiredTenantKeys(TenantId tenant, int currentVersion) => _database.Write(session => session.Execute("""
        DELETE FROM tenant_keys
        WHERE tenant_id = @tenant AND key_version < @current
          AND NOT EXISTS (SELECT 1 FROM subject_keys s WHERE s.tenant_id = @tenant AND s.tenant_key_version = tenant_keys.key_version)
        """, ("@tenant", tenant.Value), ("@current", (long)currentVersion)));

    public WrappedSubjectKey? FindSubjectKey(TenantId tenant, SubjectId subject) => _database.Read(session => session.Query(
        $"SELECT {SubjectKeyColumns} FROM subject_keys WHERE tenant_id = @tenant AND subject_id = @subject",
        ReadSubjectKey, ("@tenant", tenant.Value), ("@subject", subject.Value)).SingleOrDefault());

    /// <summary>Every subject key of the tenant, by subject id.</summary>
    public IReadOnlyDictionary<SubjectId, WrappedSubjectKey> SubjectKeys(TenantId tenant) => _database.Read(session => session.Query(
        $"SELECT {SubjectKeyColumns} FROM subject_keys WHERE tenant_id = @tenant", ReadSubjectKey, ("@tenant", tenant.Value)))
        .ToDictionary(key => key.Subject);

    /// <summary>Stores the subject's key unless it has one; returns the key now stored, another caller's when two add at once.</summary>
    public WrappedSubjectKey AddSubjectKey(WrappedSubjectKey key) => _database.Write(session =>
    {
        session.Execute($"INSERT INTO subject_keys ({SubjectKeyColumns}) VALUES (@tenant, @subject, @version, @wrapping, @wrapped, @created) ON CONFLICT DO NOTHING",
            ("@tenant", key.Tenant.Value), ("@subject", key.Subject.Value), ("@version", (long)key.KeyVersion),
            ("@wrapping", (long)key.TenantKeyVersion), ("@wrapped", key.Wrapped), ("@created", StoredTime.Of(key.CreatedUtc)));
        return session.Query($"SELECT {SubjectKeyColumns} FROM subject_keys WHERE tenant_id = @tenant AND subject_id = @subject",
            ReadSubjectKey, ("@tenant", key.Tenant.Value), ("@subject", key.Subject.Value)).Single();
    });

    /// <summary>Up to <paramref name="limit"/> of the tenant's subject keys wrapped by a version older than <paramref name="version"/>.</summary>
    public IReadOnlyList<WrappedSubjectKey> SubjectKeysWrappedBefore(TenantId tenant, int version, int limit) => _database.Read(session => session.Query(
        $"SELECT {SubjectKeyColumns} FROM subject_keys WHERE tenant_id = @tenant AND tenant_key_version < @version ORDER BY subject_id LIMIT @limit",
        ReadSubjectKey, ("@tenant", tenant.Value), ("@version", (long)version), ("@limit", (long)limit)));

    /// <summary>Replaces the wrapping of a batch of subject keys in one transaction; each row only if it is still
    /// wrapped by the version it was read with. Returns how many rows changed.</summary>
    public int RewrapSubjectKeys(IReadOnlyList<(WrappedSubjectKey Rewrapped, int PreviousTenantKeyVersion)> batch) => _database.Write(session =>
        batch.Sum(item => session.Execute("""
            UPDATE subject_keys SET tenant_key_version = @wrapping, wrapped_key = @wrapped
            WHERE tenant_id = @tenant AND subject_id = @subject AND tenant_key_version = @previous
            """,
            ("@wrapping", (long)item.Rewrapped.TenantKeyVersion), ("@wrapped", item.Rewrapped.Wrapped), ("@tenant", item.Rewrapped.Tenant.Value),
            ("@subject", item.Rewrapped.Subject.Value), ("@previous", (long)item.PreviousTenantKeyVersion))));

    /// <summary>Destroys the subject's key: from now on its templates cannot be opened, wherever a copy of them is.</summary>
    public bool DeleteSubjectKey(TenantId tenant, SubjectId subject) => _database.Write(session => session.Execute(
        "DELETE FROM subject_keys WHERE tenant_id = @tenant AND subject_id = @subject", ("@tenant", tenant.Value), ("@subject", subject.Value)) == 1);

    /// <summary>Destroys every key of the tenant (subject keys, then data keys) in one transaction.</summary>
    public void DeleteTenantKeys(TenantId tenant) => _database.Write(session =>
    {
        session.Execute("DELETE FROM subject_keys WHERE tenant_id = @tenant", ("@tenant", tenant.Value));
        session.Execute("DELETE FROM tenant_keys WHERE tenant_id = @tenant", ("@tenant", tenant.Value));
    });

    public WrappedVaultKey? FindVaultKey(string name) => _database.Read(session => session.Query(
        "SELECT name, key_version, master_key_id, wrapped_key, created_ms FROM vault_keys WHERE name = @name",
        ReadVaultKey, ("@name", name)).SingleOrDefault());

    /// <summary>Stores the vault key unless one of that name exists; returns the one now stored.</summary>
    public WrappedVaultKey AddVaultKey(WrappedVaultKey key) => _database.Write(session =>
    {
        session.Execute("INSERT INTO vault_keys (name, key_version, master_key_id, wrapped_key, created_ms) VALUES (@name, @version, @master, @wrapped, @created) ON CONFLICT DO NOTHING",
            ("@name", key.Name), ("@version", (long)key.KeyVersion), ("@master", key.MasterKeyId), ("@wrapped", key.Wrapped), ("@created", StoredTime.Of(key.CreatedUtc)));
        return session.Query("SELECT name, key_version, master_key_id, wrapped_key, created_ms FROM vault_keys WHERE name = @name",
            ReadVaultKey, ("@name", key.Name)).Single();
    });

    /// <summary>Replaces a vault key's wrapping only if it is still wrapped by <paramref name="previousMasterKeyId"/>.</summary>
    public bool RewrapVaultKey(WrappedVaultKey rewrapped, string previousMasterKeyId) => _database.Write(session => session.Execute(
        "UPDATE vault_keys SET master_key_id = @master, wrapped_key = @wrapped WHERE name = @name AND master_key_id = @previous",
        ("@master", rewrapped.MasterKeyId), ("@wrapped", rewrapped.Wrapped), ("@name", rewrapped.Name), ("@previous", previousMasterKeyId)) == 1);

    public IReadOnlyList<WrappedVaultKey> VaultKeysNotWrappedBy(string masterKeyId) => _database.Read(session => session.Query(
        "SELECT name, key_version, master_key_id, wrapped_key, created_ms FROM vault_keys WHERE master_key_id <> @master ORDER BY name",
        ReadVaultKey, ("@master", masterKeyId)));

    public void Dispose() => _database.Dispose();

    private static WrappedTenantKey? CurrentTenantKey(SqlSession session, TenantId tenant) => session.Query(
        $"SELECT {TenantKeyColumns} FROM tenant_keys WHERE tenant_id = @tenant ORDER BY key_version DESC LIMIT 1",
        ReadTenantKey, ("@tenant", tenant.Value)).SingleOrDefault();

    private static WrappedTenantKey ReadTenantKey(DbDataReader reader) =>
        new(new TenantId(reader.GetString(0)), checked((int)reader.GetInt64(1)), reader.GetString(2), (byte[])reader.GetValue(3), StoredTime.From(reader, 4));

    private static WrappedSubjectKey ReadSubjectKey(DbDataReader reader) =>
        new(new TenantId(reader.GetString(0)), new SubjectId(reader.GetString(1)), checked((int)reader.GetInt64(2)), checked((int)reader.GetInt64(3)),
            (byte[])reader.GetValue(4), StoredTime.From(reader, 5));

    private static WrappedVaultKey ReadVaultKey(DbDataReader reader) =>
        new(reader.GetString(0), checked((int)reader.GetInt64(1)), reader.GetString(2), (byte[])reader.GetValue(3), StoredTime.From(reader, 4));
}
