using System.Security.Cryptography;

namespace IntelliFace.Vault;

/// <summary>
/// Reads the master key from the <c>INTELLIFACE_MASTER_KEY</c> environment variable: the base64 of 32 bytes,
/// as injected by a secret store or orchestrator. Thread-safe.
/// </summary>
public sealed class EnvironmentMasterKeyProvider : IMasterKeyProvider
{
    public const string VariableName = "INTELLIFACE_MASTER_KEY";

    private readonly Func<string, string?> _readVariable;

    public EnvironmentMasterKeyProvider() : this(Environment.GetEnvironmentVariable)
    {
    }

    internal EnvironmentMasterKeyProvider(Func<string, string?> readVariable) => _readVariable = readVariable;

    public IMasterKey GetMasterKey()
    {
        var text = _readVariable(VariableName);
        if (string.IsNullOrWhiteSpace(text))
            throw new FaceException(FaceErrorCode.KeyUnavailable, $"{VariableName} is not set.");

        Span<byte> key = stackalloc byte[MasterKey.ByteLength + 1];
        try
        {
            if (!Convert.TryFromBase64String(text.Trim(), key, out var written) || written != MasterKey.ByteLength)
            {
                throw new FaceException(FaceErrorCode.KeyUnavailable,
                    $"{VariableName} must be the base64 of exactly {MasterKey.ByteLength} bytes.");
            }
            return new MasterKey(key[..MasterKey.ByteLength]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
