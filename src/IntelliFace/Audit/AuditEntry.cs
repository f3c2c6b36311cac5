using System.Buffers.Binary;
using System.Security.Cryptography;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Audit;

/// <summary>
/// What the audit log records of one operation: who (<paramref name="Actor"/>), what (<paramref name="Action"/>),
/// on which tenant and subject, with which outcome (<c>ok</c> or an error code), and a few named facts
/// (<paramref name="Details"/>: ids, counts, match flags). Never photos, embeddings, keys or credentials.
/// </summary>
public sealed record AuditRecord(
    string Actor, string Action, TenantId? Tenant, SubjectId? Subject, string Outcome, IReadOnlyDictionary<string, string> Details)
{
    public const string Ok = "ok";

    public static AuditRecord Of(string actor, string action, TenantId? tenant, SubjectId? subject = null, string outcome = Ok,
        params (string Name, string Value)[] details) =>
        new(actor, action, tenant, subject, outcome, details.ToDictionary(d => d.Name, d => d.Value, StringComparer.Ordinal));
}

/// <summary>
/// One stored audit entry: the record, its position <paramref name="Sequence"/> (1, 2, ...), its time, its chain
/// hash <c>SHA-256(previous hash | entry)</c> and <paramref name="Mac"/> <c>HMAC-SHA256(audit key, hash)</c>.
/// </summary>
public sealed record AuditEntry(long Sequence, DateTimeOffset AtUtc, AuditRecord Record, byte[] Hash, byte[] Mac)
{
    public const string FormatTag = "intelliface/audit-entry/v1";
    public const int HashLength = SHA256.HashSizeInBytes;

    /// <summary>The chain hash of an entry at <paramref name="sequence"/> following <paramref name="previousHash"/>.
    /// Frozen by a known-answer test: every field is length-prefixed, details sorted by name.</summary>
    internal static byte[] ChainHash(ReadOnlySpan<byte> previousHash, long sequence, DateTimeOffset atUtc, AuditRecord record)
    {
        var content = new AssociatedData(FormatTag)
            .Text(Convert.ToHexStringLower(previousHash))
            .Text(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Text(atUtc.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Text(record.Actor)
            .Text(record.Action)
            .Text(record.Tenant?.Value ?? "")
            .Text(record.Subject?.Value ?? "")
            .Text(record.Outcome);
        foreach (var (name, value) in record.Details.OrderBy(d => d.Key, StringComparer.Ordinal)) content.Text(name).Text(value);
        return SHA256.HashData(content.ToArray());
    }

    internal static byte[] HeadMacInput(long lastSequence, ReadOnlySpan<byte> lastHash)
    {
        var bytes = new byte[sizeof(long) + lastHash.Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, lastSequence);
        lastHash.CopyTo(bytes.AsSpan(sizeof(long)));
        return bytes;
    }
}

/// <summary>The result of checking the whole audit chain.</summary>
/// <param name="Intact">True when every entry is present, in order and unaltered.</param>
/// <param name="EntriesChecked">How many entries were read.</param>
/// <param name="FirstBadSequence">The position of the first entry found altered, removed or reordered.</param>
/// <param name="Problem">What was found there, for people.</param>
public sealed record AuditVerification(bool Intact, long EntriesChecked, long? FirstBadSequence, string? Problem);
