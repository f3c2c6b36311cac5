using System.Diagnostics;
using System.Security.Cryptography;
using IntelliFace.Vault;

namespace IntelliFace.Audit;

/// <summary>
/// The 256-bit key that authenticates the audit chain (HMAC-SHA256). Random, created with the vault, stored
/// only wrapped by the master key (re-wrapped when the master key rotates, so old entries stay verifiable).
/// <see cref="Dispose"/> wipes it.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
internal sealed class AuditKey : IDisposable
{
    public const string Name = "audit";
    public const string FormatTag = "intelliface/audit-key/v1";
    private const int Version = 1;

    private readonly KeyBytes _bytes;

    private AuditKey(KeyBytes bytes) => _bytes = bytes;

    public static AuditKey FromBytes(ReadOnlySpan<byte> bytes) => new(KeyBytes.Copy(bytes));

    /// <summary>The vault's audit key, created and stored (wrapped) on first use.</summary>
    /// <param name="masterFor">The master key that wrapped a stored key, by its id.</param>
    public static AuditKey Load(KeyStore keys, IMasterKey master, Func<string, IMasterKey> masterFor)
    {
        var stored = keys.FindVaultKey(Name);
        if (stored is null)
        {
            using var fresh = KeyBytes.Random();
            stored = keys.AddVaultKey(new WrappedVaultKey(Name, Version, master.Id, master.Wrap(fresh.Span, Version, AssociatedData()), DateTimeOffset.UtcNow));
        }
        return Unwrap(masterFor(stored.MasterKeyId), stored.Wrapped);
    }

    /// <summary>This key wrapped by <paramref name="master"/>, for a master key rotation.</summary>
    public byte[] Rewrap(IMasterKey master) => master.Wrap(_bytes.Span, Version, AssociatedData());

    public static AuditKey Unwrap(IMasterKey master, ReadOnlySpan<byte> wrapped)
    {
        Span<byte> bytes = stackalloc byte[KeyBytes.Length];
        try
        {
            if (!master.TryUnwrap(wrapped, AssociatedData(), bytes))
                throw new FaceException(FaceErrorCode.KeyUnavailable, "The audit key cannot be unwrapped: the master key is not the one that wrapped it, or the record was altered.");
            return FromBytes(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>HMAC-SHA256 of <paramref name="data"/>.</summary>
    public byte[] Mac(ReadOnlySpan<byte> data) => HMACSHA256.HashData(_bytes.Span, data);

    public void Dispose() => _bytes.Dispose();

    public override string ToString() => "AuditKey(redacted)";

    private static byte[] AssociatedData() => new AssociatedData(FormatTag).Text(Name).ToArray();
}
