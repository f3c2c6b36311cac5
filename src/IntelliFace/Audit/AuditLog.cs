using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using IntelliFace.Tenancy;
using IntelliFace.Vault.Storage;

namespace IntelliFace.Audit;

/// <summary>
/// The tamper-evident audit log: one chain of entries for the whole vault, each holding the SHA-256 of the
/// previous entry's hash and its own content, authenticated by an HMAC under the audit key. Whoever can write
/// the database but lacks the audit key can neither alter, remove, reorder nor add an entry unnoticed: a
/// head record (authenticated too) pins the newest entry, so removing the tail shows as well. Rolling the
/// whole database back to an older copy is not detected here; ship entries off the host for that.
/// Thread-safe; appends are serialised by the database.
/// </summary>
public sealed class AuditLog
{
    private static readonly JsonSerializerOptions DetailsJson = new() { WriteIndented = false };

    private readonly SqlDatabase _database;
    private readonly AuditKey _key;
    private readonly TimeProvider _time;

    internal AuditLog(SqlDatabase database, AuditKey key, TimeProvider time)
    {
        _database = database;
        _key = key;
        _time = time;
        var genesis = new byte[AuditEntry.HashLength];
        _database.Write(session => session.Execute(
            "INSERT INTO audit_head (id, last_seq, last_hash, head_mac) VALUES (1, 0, @hash, @mac) ON CONFLICT DO NOTHING",
            ("@hash", genesis), ("@mac", _key.Mac(AuditEntry.HeadMacInput(0, genesis)))));
    }

    /// <summary>Appends <paramref name="record"/> at the end of the chain and returns the stored entry.</summary>
    public AuditEntry Append(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _database.Write(session =>
        {
            // Updating the head row first takes its lock on PostgreSQL (SQLite already holds the write lock),
            // so two appends never chain onto the same predecessor.
            session.Execute("UPDATE audit_head SET last_seq = last_seq WHERE id = 1");
            var (lastSequence, lastHash) = session.Query("SELECT last_seq, last_hash FROM audit_head WHERE id = 1",
                reader => (reader.GetInt64(0), (byte[])reader.GetValue(1))).Single();
            var sequence = lastSequence + 1;
            // Millisecond precision: what is stored is what was hashed.
            var at = StoredTime.From(StoredTime.Of(_time.GetUtcNow()));
            var hash = AuditEntry.ChainHash(lastHash, sequence, at, record);
            var entry = new AuditEntry(sequence, at, record, hash, _key.Mac(hash));
            session.Execute("""
                INSERT INTO audit_log (seq, at_ms, actor, action, tenant_id, subject_id, outcome, details, hash, mac)
                VALUES (@seq, @at, @actor, @action, @tenant, @subject, @outcome, @details, @hash, @mac)
                """,
                ("@seq", sequence), ("@at", StoredTime.Of(at)), ("@actor", record.Actor), ("@action", record.Action),
                ("@tenant", record.Tenant?.Value), ("@subject", record.Subject?.Value), ("@outcome", record.Outcome),
                ("@details", JsonSerializer.Serialize(new SortedDictionary<string, string>(record.Details.ToDictionary(), StringComparer.Ordinal), DetailsJson)),
                ("@hash", hash), ("@mac", entry.Mac));
            session.Execute("UPDATE audit_head SET last_seq = @seq, last_hash = @hash, head_mac = @mac WHERE id = 1",
                ("@seq", sequence), ("@hash", hash), ("@mac", _key.Mac(AuditEntry.HeadMacInput(sequence, hash))));
            return entry;
        });
    }

    /// <summary>The tenant's entries in order, after <paramref name="afterSequence"/>, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<AuditEntry> Entries(TenantId tenant, long afterSequence = 0, int limit = 10_000) => _database.Read(session => session.Query(
        $"{SelectEntries} WHERE tenant_id = @tenant AND seq > @after ORDER BY seq LIMIT @limit", ReadEntry,
        ("@tenant", tenant.Value), ("@after", afterSequence), ("@limit", (long)limit)));

    /// <summary>The entries about one subject of the tenant, in order.</summary>
    public IReadOnlyList<AuditEntry> Entries(TenantId tenant, SubjectId subject) => _database.Read(session => session.Query(
        $"{SelectEntries} WHERE tenant_id = @tenant AND subject_id = @subject ORDER BY seq", ReadEntry, ("@tenant", tenant.Value), ("@subject", subject.Value)));

    /// <summary>
    /// Walks the whole chain and returns the first entry that was altered, removed or reordered, or that the
    /// chain is intact.
    /// </summary>
    public AuditVerification Verify()
    {
        var rows = _database.Read(session => session.Query($"{SelectEntries} ORDER BY seq", reader => (Sequence: reader.GetInt64(0), Entry: TryReadEntry(reader))));
        var unreadable = rows.FirstOrDefault(row => row.Entry is null);
        var entries = rows.TakeWhile(row => row.Entry is not null).Select(row => row.Entry!).ToList();
        var head = _database.Read(session => session.Query("SELECT last_seq, last_hash, head_mac FROM audit_head WHERE id = 1",
            reader => (Sequence: reader.GetInt64(0), Hash: (byte[])reader.GetValue(1), Mac: (byte[])reader.GetValue(2))).SingleOrDefault());

        var previousHash = new byte[AuditEntry.HashLength];
        long expected = 1;
        foreach (var entry in entries)
        {
            if (entry.Sequence != expected)
                return Broken(rows.Count, expected, $"entry {expected} was removed (the next entry present is {entry.Sequence}).");
            var authentic = CryptographicOperations.FixedTimeEquals(_key.Mac(entry.Hash), entry.Mac);
            var hash = AuditEntry.ChainHash(previousHash, entry.Sequence, entry.AtUtc, entry.Record);
            if (!authentic || !CryptographicOperations.FixedTimeEquals(hash, entry.Hash))
                return Broken(rows.Count, entry.Sequence, Diagnose(entries, entry, authentic));
            previousHash = entry.Hash;
            expected++;
        }
        if (unreadable.Entry is null && unreadable.Sequence != 0)
        {
            return unreadable.Sequence == expected
                ? Broken(rows.Count, expected, $"entry {expected} was altered (it no longer reads as an entry).")
                : Broken(rows.Count, expected, $"entry {expected} was removed (the next entry present is {unreadable.Sequence}).");
        }

        if (head.Hash is null || !CryptographicOperations.FixedTimeEquals(_key.Mac(AuditEntry.HeadMacInput(head.Sequence, head.Hash)), head.Mac))
            return Broken(rows.Count, expected, "the chain's head record was altered.");
        if (head.Sequence != expected - 1 || !CryptographicOperations.FixedTimeEquals(head.Hash, previousHash))
        {
            return head.Sequence >= expected
                ? Broken(rows.Count, expected, $"entries {expected} to {head.Sequence} were removed from the end.")
                : Broken(rows.Count, head.Sequence + 1, $"entries after {head.Sequence} were added without the audit key.");
        }
        return new AuditVerification(true, rows.Count, null, null);
    }

    private string Diagnose(List<AuditEntry> entries, AuditEntry entry, bool authentic)
    {
        if (!authentic) return $"entry {entry.Sequence} was altered (its authentication code does not match).";
        // An authentic entry that does not chain here: if it chains after another entry, it was moved.
        foreach (var other in entries)
        {
            if (CryptographicOperations.FixedTimeEquals(AuditEntry.ChainHash(other.Hash, other.Sequence + 1, entry.AtUtc, entry.Record), entry.Hash))
            {
                return $"entry {entry.Sequence} holds the record written as entry {other.Sequence + 1}: entries were reordered.";
            }
        }
        return $"entry {entry.Sequence} was altered (its content no longer matches its hash).";
    }

    private static AuditVerification Broken(int checkedCount, long sequence, string problem) => new(false, checkedCount, sequence, problem);

    private const string SelectEntries = "SELECT seq, at_ms, actor, action, tenant_id, subject_id, outcome, details, hash, mac FROM audit_log";

    /// <summary>Null when a stored field no longer parses (an id or the details were altered).</summary>
    private static AuditEntry? TryReadEntry(DbDataReader reader)
    {
        try
        {
            return ReadEntry(reader);
        }
        catch (Exception e) when (e is FaceException or JsonException)
        {
            return null;
        }
    }

    private static AuditEntry ReadEntry(DbDataReader reader)
    {
        var details = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(7)) ?? [];
        var record = new AuditRecord(
            reader.GetString(2), reader.GetString(3),
            reader.IsDBNull(4) ? null : new TenantId(reader.GetString(4)),
            reader.IsDBNull(5) ? null : new SubjectId(reader.GetString(5)),
            reader.GetString(6), details);
        return new AuditEntry(reader.GetInt64(0), StoredTime.From(reader, 1), record, (byte[])reader.GetValue(8), (byte[])reader.GetValue(9));
    }
}
