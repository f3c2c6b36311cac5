using System.Security.Cryptography;
using IntelliFace.Tenancy;

namespace IntelliFace.Vault;

/// <summary>
/// Wraps a tenant data key under the master key, bound by associated data to the tenant and the key version:
/// a wrapped key copied to another tenant or version does not unwrap. With <see cref="MasterKey"/> the result
/// is a <see cref="SealedEnvelope"/> whose header carries the tenant key version.
/// </summary>
internal static class TenantKeyWrap
{
    public const string FormatTag = "intelliface/tenant-key/v1";

    public static byte[] Wrap(IMasterKey master, TenantDataKey key) =>
        master.Wrap(key.Bytes, key.Version, AssociatedDataFor(key.Tenant, key.Version));

    /// <exception cref="FaceException"><c>key_unavailable</c> when the master key is not the one that wrapped
    /// the key, or the wrapped key was altered or belongs to another tenant or version.</exception>
    public static TenantDataKey Unwrap(IMasterKey master, TenantId tenant, int keyVersion, ReadOnlySpan<byte> wrapped)
    {
        Span<byte> keyBytes = stackalloc byte[TenantDataKey.ByteLength];
        try
        {
            if (!master.TryUnwrap(wrapped, AssociatedDataFor(tenant, keyVersion), keyBytes))
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
