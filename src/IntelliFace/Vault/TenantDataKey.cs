using System.Diagnostics;
using IntelliFace.Tenancy;

namespace IntelliFace.Vault;

/// <summary>
/// One version of a tenant's 256-bit data key. It wraps the tenant's subject keys (it never seals a template
/// itself) and is stored only wrapped by the master key; <see cref="Dispose"/> wipes the bytes.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
internal sealed class TenantDataKey : IDisposable
{
    public const int ByteLength = KeyBytes.Length;

    private readonly KeyBytes _bytes;

    private TenantDataKey(TenantId tenant, int version, KeyBytes bytes)
    {
        if (version < 1)
        {
            bytes.Dispose();
            throw new ArgumentOutOfRangeException(nameof(version), "Key versions start at 1.");
        }
        Tenant = tenant;
        Version = version;
        _bytes = bytes;
    }

    public TenantId Tenant { get; }

    public int Version { get; }

    public ReadOnlySpan<byte> Bytes => _bytes.Span;

    public static TenantDataKey Generate(TenantId tenant, int version) => new(tenant, version, KeyBytes.Random());

    public static TenantDataKey FromBytes(TenantId tenant, int version, ReadOnlySpan<byte> bytes) => new(tenant, version, KeyBytes.Copy(bytes));

    public void Dispose() => _bytes.Dispose();

    public override string ToString() => $"TenantDataKey({Tenant}, v{Version}, redacted)";
}
