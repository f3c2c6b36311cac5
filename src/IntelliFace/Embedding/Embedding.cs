using System.Security.Cryptography;
using System.Runtime.InteropServices;

namespace IntelliFace.Embedding;

/// <summary>
/// A face embedding: <see cref="Dimension"/> float32 values made by one model pack. Biometric data:
/// <see cref="ToString"/> never prints the values, and <see cref="Clear"/> wipes them.
/// Embeddings of different packs are never comparable.
/// </summary>
public sealed class FaceEmbedding
{
    public const int Dimension = 128;
    public const int ByteLength = Dimension * sizeof(float);

    private readonly float[] _values;

    public FaceEmbedding(PackId pack, ReadOnlySpan<float> values)
    {
        if (values.Length != Dimension)
            throw new ArgumentException($"An embedding has {Dimension} values, not {values.Length}.", nameof(values));
        Pack = pack;
        _values = values.ToArray();
    }

    public PackId Pack { get; }

    public ReadOnlySpan<float> Values => _values;

    /// <summary>The little-endian float32 bytes (512 bytes), for sealing.</summary>
    public ReadOnlySpan<byte> AsBytes() => MemoryMarshal.AsBytes(_values.AsSpan());

    public static FaceEmbedding FromBytes(PackId pack, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ByteLength)
            throw new ArgumentException($"An embedding is {ByteLength} bytes, not {bytes.Length}.", nameof(bytes));
        return new FaceEmbedding(pack, MemoryMarshal.Cast<byte, float>(bytes));
    }

    public void Clear() => CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_values.AsSpan()));

    public override string ToString() => $"FaceEmbedding({Pack}, {Dimension} values redacted)";
}

/// <summary>
/// Identifies a model pack version (detector, alignment, embedder weights and preprocessing).
/// Only embeddings with equal pack ids may be compared. Lowercase letters, digits, '-', '.', '@'.
/// </summary>
public readonly record struct PackId
{
    public PackId(string value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 100 || !value.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '.' or '@' or '_'))
            throw new FaceException(FaceErrorCode.InvalidArgument, "A model pack id uses lowercase letters, digits, '-', '_', '.' and '@' (at most 100).");
        Value = value;
    }

    public string Value { get; }

    public override string ToString() => Value;
}
