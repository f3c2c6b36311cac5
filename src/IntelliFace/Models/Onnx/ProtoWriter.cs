using Google.Protobuf;

namespace IntelliFace.Models.Onnx;

/// <summary>
/// Writes one Protocol Buffers message field by field. Nested messages are written into their own
/// writer first so their length prefix is known.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _output;

    public ProtoWriter()
    {
        _output = new CodedOutputStream(_buffer, leaveOpen: true);
    }

    public ProtoWriter Int64(int field, long value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt64(value);
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        _output.WriteTag(field, WireFormat.WireType.Fixed32);
        _output.WriteFloat(value);
        return this;
    }

    public ProtoWriter String(int field, string value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteString(value);
        return this;
    }

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    /// <summary>Appends fields already encoded (tags included), as <see cref="ProtoReader"/> returns them.</summary>
    public ProtoWriter Encoded(ReadOnlySpan<byte> fields)
    {
        _output.Flush();
        _buffer.Write(fields);
        return this;
    }

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    public ProtoWriter PackedInt64(int field, IEnumerable<long> values)
    {
        var packed = new ProtoWriter();
        foreach (var value in values) packed._output.WriteInt64(value);
        return Bytes(field, packed.ToArray());
    }

    public ProtoWriter PackedFloat(int field, IEnumerable<float> values)
    {
        var packed = new ProtoWriter();
        foreach (var value in values) packed._output.WriteFloat(value);
        return Bytes(field, packed.ToArray());
    }

    public byte[] ToArray()
    {
        _output.Flush();
        return _buffer.ToArray();
    }
}
