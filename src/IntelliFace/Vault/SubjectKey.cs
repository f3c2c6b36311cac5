using System.Diagnostics;
using System.Security.Cryptography;
using IntelliFace.Tenancy;

namespace IntelliFace.Vault;

/// <summary>
/// A subject's own 256-bit key: it seals that subject's templates and nothing else, so destroying it
/// (erasure) makes every copy of those templates unreadable, backups included. Stored only wrapped by a
/// version of the tenant's data key; <see cref="Dispose"/> wipes the bytes.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
internal sealed class SubjectKey : IDisposable
{
    public const int ByteLength = KeyBytes.Length;

    private readonly KeyBytes _bytes;

    private SubjectKey(TenantId tenant, SubjectId subject, int version, KeyBytes bytes)
    {
        if (version < 1)
        {
            bytes.Dispose();
            throw new ArgumentOutOfRangeException(nameof(version), "Key versions start at 1.");
        }
        Tenant = tenant;
        Subject = subject;
        Version = version;
        _bytes = bytes;
    }

    public TenantId Tenant { get; }

    public SubjectId Subject { get; }

    public int Version { get; }

    public ReadOnlySpan<byte> Bytes => _bytes.Span;

    public static SubjectKey Generate(TenantId tenant, SubjectId subject, int version) => new(tenant, subject, version, KeyBytes.Random());

    public static SubjectKey FromBytes(TenantId tenant, SubjectId subject, int version, ReadOnlySpan<byte> bytes) =>
        new(tenant, subject, version, KeyBytes.Copy(bytes));

    public void Dispose() => _bytes.Dispose();

    public override string ToString() => $"SubjectKey({Tenant}/{Subject}, v{Version}, redacted)";
}

/// <summary>
/// Wraps a subject key under a tenant data key, as a <see cref="SealedEnvelope"/> whose header carries the
/// tenant key version and whose associated data binds tenant, subject, the subject key's version and the
/// tenant key version: a wrapped key copied to another subject, tenant or version does not unwrap.
/// </summary>
internal static class SubjectKeyWrap
{
    public const string FormatTag = "intelliface/subject-key/v1";

    public static byte[] Wrap(TenantDataKey tenantKey, SubjectKey key)
    {
        if (tenantKey.Tenant != key.Tenant) throw new ArgumentException("A subject key is wrapped by its own tenant's key.", nameof(key));
        return SealedEnvelope.Seal(tenantKey.Bytes, tenantKey.Version, key.Bytes, AssociatedDataFor(key.Tenant, key.Subject, key.Version, tenantKey.Version));
    }

    /// <exception cref="FaceException"><c>key_unavailable</c> when the wrapped key was altered, moved, or wrapped by another key.</exception>
    public static SubjectKey Unwrap(TenantDataKey tenantKey, SubjectId subject, int keyVersion, ReadOnlySpan<byte> wrapped)
    {
        if (!SealedEnvelope.TryReadKeyVersion(wrapped, out var wrappingVersion) || wrappingVersion != tenantKey.Version
            || SealedEnvelope.PlaintextLength(wrapped) != SubjectKey.ByteLength)
        {
            throw Unavailable(tenantKey.Tenant, subject);
        }

        Span<byte> keyBytes = stackalloc byte[SubjectKey.ByteLength];
        try
        {
            if (!SealedEnvelope.TryOpen(tenantKey.Bytes, wrapped, AssociatedDataFor(tenantKey.Tenant, subject, keyVersion, tenantKey.Version), keyBytes))
                throw Unavailable(tenantKey.Tenant, subject);
            return SubjectKey.FromBytes(tenantKey.Tenant, subject, keyVersion, keyBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyBytes);
        }
    }

    internal static byte[] AssociatedDataFor(TenantId tenant, SubjectId subject, int keyVersion, int tenantKeyVersion) =>
        new AssociatedData(FormatTag).Text(tenant.Value).Text(subject.Value).UInt32(keyVersion).UInt32(tenantKeyVersion).ToArray();

    private static FaceException Unavailable(TenantId tenant, SubjectId subject) =>
        new(FaceErrorCode.KeyUnavailable, $"The key of subject {subject} of tenant {tenant} cannot be unwrapped: it was altered or moved.");
}
