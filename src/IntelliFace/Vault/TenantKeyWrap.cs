using System.Security.Cryptography;
using IntelliFace.Tenancy;

namespace IntelliFace.Vault;

/// <summary>
/// Wraps a tenant data key under the master key, as a <see cref="SealedEnvelope"/> whose associated data binds
/// the tenant and the key version: a wrapped key copied to another tenant or version does not unwrap.
/// </summary>
internal static class TenantKeyWrap
{
    public const string FormatTag = "intelliface/tenant-key/v1";

    public static byte[] Wrap(MasterKey master, TenantDataKey key) =>
        SealedEnvelope.Seal(master.Bytes, key.Version, key.Bytes, AssociatedDataFor(key.Tenant, key.Version));

    /// <exception cref="FaceException"><c>key_unavailable</c> when the master key is not the one that wrapped
    /// the key, or the wrapped key was altered or belongs to another tenant or version.</exception>
    public static TenantDataKey Unwrap(MasterKey master, TenantId tenant, int keyVersion, ReadOnlySpan<byte> wrapped)
    {
        if (!SealedEnvelope.TryReadKeyVersion(wrapped, out var envelopeVersion) || envelopeVersion != keyVersion
            || SealedEnvelope.PlaintextLength(wrapped) != TenantDataKey.ByteLength)
        {
            throw Unavailable(tenant, keyVersion);
        }

        Span<byte> keyBytes = stackalloc byte[TenantDataKey.ByteLength];
        try
        {
            if (!SealedEnvelope.TryOpen(master.Bytes, wrapped, AssociatedDataFor(tenant, keyVersion), keyBytes))
                throw Unavailable(tenant, keyVersion);
            return TenantDataKey.FromBytes(tenant, keyVersion, keyBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyBytes);
        }
    }

    internal static byte[] AssociatedDataFor(TenantId tenant, int keyVersion) =>
        new AssociatedData(FormatTag).Text(tenant.Value).UInt32(keyVersion).ToArray();

    private static FaceException Unavailable(TenantId tenant, int keyVersion) =>
        new(FaceErrorCode.KeyUnavailable,
            $"The data key v{keyVersion} of tenant {tenant} cannot be unwrapped: the master key is not the one that wrapped it, or the record was altered.");
}
