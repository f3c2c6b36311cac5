using System.Buffers.Binary;
using System.Text;

namespace IntelliFace.Vault;

/// <summary>
/// Builds the associated data that binds a ciphertext to its context. Every text field is written as a
/// 2-byte big-endian length and its UTF-8 bytes, so no two different tuples give the same bytes
/// ("ab","c" and "a","bc" differ). Part of the frozen formats: changing the encoding needs a new format tag.
/// </summary>
internal sealed class AssociatedData
{
    private readonly List<byte> _bytes = new(128);

    public AssociatedData(string formatTag) => Text(formatTag);

    public AssociatedData Text(string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        if (utf8.Length > ushort.MaxValue) throw new ArgumentException("An associated data field is at most 65535 bytes.", nameof(value));
        Span<byte> length = stackalloc byte[sizeof(ushort)];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)utf8.Length);
        _bytes.AddRange(length);
        _bytes.AddRange(utf8);
        return this;
    }

    public AssociatedData UInt32(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        Span<byte> bytes = stackalloc byte[sizeof(uint)];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value);
        _bytes.AddRange(bytes);
        return this;
    }

    public byte[] ToArray() => [.. _bytes];
}
