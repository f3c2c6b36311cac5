using System.Diagnostics;
using System.Security.Cryptography;
using IntelliFace.Tenancy;

namespace IntelliFace.Vault;

/// <summary>
/// One version of a tenant's 256-bit data key, the key that seals that tenant's templates.
/// Stored only wrapped by the master key; <see cref="Dispose"/> wipes the bytes.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
internal sealed class TenantDataKey : IDisposable
{
    public const int ByteLength = 32;

    // Pinned for the same reason as MasterKey: no stray copies after heap compaction.
    private readonly byte[] _bytes = GC.AllocateArray<byte>(ByteLength, pinned: true);
    private bool _disposed;

    private TenantDataKey(TenantId tenant, int version)
    {
        if (version < 1) throw new ArgumentOutOfRangeException(nameof(version), "Key versions start at 1.");
        Tenant = tenant;
        Version = version;
    }

    public TenantId Tenant { get; }

    public int Version { get; }

    public ReadOnlySpan<byte> Bytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _bytes;
        }
    }

    public static TenantDataKey Generate(TenantId tenant, int version)
    {
        var key = new TenantDataKey(tenant, version);
        RandomNumberGenerator.Fill(key._bytes);
        return key;
    }

    public static TenantDataKey FromBytes(TenantId tenant, int version, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ByteLength)
            throw new ArgumentException($"A tenant data key is {ByteLength} bytes, not {bytes.Length}.", nameof(bytes));
        var key = new TenantDataKey(tenant, version);
        bytes.CopyTo(key._bytes);
        return key;
    }

    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_bytes);
    }

    public override string ToString() => $"TenantDataKey({Tenant}, v{Version}, redacted)";
}
