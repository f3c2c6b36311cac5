namespace IntelliFace.Vault.Storage;

/// <summary>
/// The tables of the vault database (everything but keys, which live in the <see cref="KeyStore"/>). Tables
/// are only ever added, with <c>IF NOT EXISTS</c>, so an older database gains new tables on open; any other
/// change needs a new <see cref="Version"/> and a migration.
/// </summary>
internal static class VaultSchema
{
    public const int Version = 2;

    private const string Tables = """
        CREATE TABLE IF NOT EXISTS tenants (
            tenant_id        TEXT NOT NULL PRIMARY KEY,
            status           TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'deleting')),
            consent_required {int} NOT NULL,
            retention_days   {int},
            created_ms       {int} NOT NULL
        ){strict};
        CREATE TABLE IF NOT EXISTS subjects (
            tenant_id   TEXT NOT NULL REFERENCES tenants (tenant_id),
            subject_id  TEXT NOT NULL,
            created_ms  {int} NOT NULL,
            PRIMARY KEY (tenant_id, subject_id)
        ){strict};
        CREATE TABLE IF NOT EXISTS templates (
            template_id  TEXT NOT NULL PRIMARY KEY,
            tenant_id    TEXT NOT NULL,
            subject_id   TEXT NOT NULL,
            pack_id      TEXT NOT NULL,
            key_version  {int} NOT NULL,
            created_ms   {int} NOT NULL,
            last_used_ms {int} NOT NULL,
            sealed       {blob} NOT NULL,
            FOREIGN KEY (tenant_id, subject_id) REFERENCES subjects (tenant_id, subject_id)
        ){strict};
        CREATE INDEX IF NOT EXISTS templates_by_pack ON templates (tenant_id, pack_id, subject_id);
        CREATE INDEX IF NOT EXISTS templates_by_subject ON templates (tenant_id, subject_id);
        CREATE TABLE IF NOT EXISTS consents (
            tenant_id      TEXT NOT NULL REFERENCES tenants (tenant_id),
            subject_id     TEXT NOT NULL,
            lawful_basis   TEXT NOT NULL,
            notice_version TEXT NOT NULL,
            given_ms       {int} NOT NULL,
            recorded_ms    {int} NOT NULL,
            PRIMARY KEY (tenant_id, subject_id)
        ){strict};
        CREATE TABLE IF NOT EXISTS credentials (
            key_id      TEXT NOT NULL PRIMARY KEY,
            kind        TEXT NOT NULL CHECK (kind IN ('tenant', 'operator')),
            tenant_id   TEXT REFERENCES tenants (tenant_id),
            operator    TEXT,
            scopes      TEXT NOT NULL,
            secret_hash {blob} NOT NULL,
            created_ms  {int} NOT NULL,
            revoked_ms  {int},
            CHECK ((kind = 'tenant' AND tenant_id IS NOT NULL) OR (kind = 'operator' AND operator IS NOT NULL))
        ){strict};
        CREATE TABLE IF NOT EXISTS breakglass_grants (
            grant_id     TEXT NOT NULL PRIMARY KEY,
            tenant_id    TEXT NOT NULL REFERENCES tenants (tenant_id),
            requested_by TEXT NOT NULL,
            reason       TEXT NOT NULL,
            ticket       TEXT NOT NULL,
            operations   TEXT NOT NULL,
            minutes      {int} NOT NULL,
            requested_ms {int} NOT NULL,
            approved_by  TEXT,
            approved_ms  {int},
            expires_ms   {int},
            revoked_ms   {int}
        ){strict};
        CREATE TABLE IF NOT EXISTS audit_log (
            seq        {int} NOT NULL PRIMARY KEY,
            at_ms      {int} NOT NULL,
            actor      TEXT NOT NULL,
            action     TEXT NOT NULL,
            tenant_id  TEXT,
            subject_id TEXT,
            outcome    TEXT NOT NULL,
            details    TEXT NOT NULL,
            hash       {blob} NOT NULL,
            mac        {blob} NOT NULL
        ){strict};
        CREATE INDEX IF NOT EXISTS audit_log_by_tenant ON audit_log (tenant_id, seq);
        CREATE TABLE IF NOT EXISTS audit_head (
            id        {int} NOT NULL PRIMARY KEY CHECK (id = 1),
            last_seq  {int} NOT NULL,
            last_hash {blob} NOT NULL,
            head_mac  {blob} NOT NULL
        ){strict}
        """;

    public static void Ensure(SqlDatabase database)
    {
        // Version 1 (the first release's single-file layout, with keys beside the templates) is not migrated:
        // it predates the key hierarchy and no release shipped it.
        var legacy = database.Read(session => session.Query(
            database.Engine == SqlEngine.Sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_version'",
            reader => reader.GetString(0)));
        if (legacy.Count > 0)
        {
            throw new FaceException(FaceErrorCode.StoreUnavailable,
                $"The vault database at {database.Description} has the pre-release layout without subject keys; this IntelliFace cannot read it. Re-enroll into a new data folder.");
        }
        database.EnsureSchema("vault_schema", Version, Tables, "vault database");
    }
}
