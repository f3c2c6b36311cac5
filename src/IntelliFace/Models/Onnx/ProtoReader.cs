namespace IntelliFace.Models.Onnx;

/// <summary>
/// Reads one Protocol Buffers message field by field, keeping each field's raw bytes so a rewriter
/// can copy the fields it does not change verbatim.
/// </summary>
internal static class ProtoReader
{
    /// <summary>One field: its number, wire type, the whole encoding (tag included) and, for length-delimited fields, the payload.</summary>
    public readonly record struct Field(int Number, int WireType, ReadOnlyMemory<byte> Encoded, ReadOnlyMemory<byte> Payload)
    {
        public const int LengthDelimited = 2;
    }

    public static IEnumerable<Field> Fields(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var start = position;
            var tag = ReadVarint(message.Span, ref position);
            var number = (int)(tag >> 3);
            var wireType = (int)(tag & 7);
            var payloadStart = position;
            switch (wireType)
            {
                case 0:
                    ReadVarint(message.Span, ref position);
                    break;
                case 1:
                    position += 8;
                    break;
                case Field.LengthDelimited:
                    var length = checked((int)ReadVarint(message.Span, ref position));
                    payloadStart = position;
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {wireType} at byte {start}.");
            }

            if (position > message.Length) throw new InvalidDataException($"A protobuf field at byte {start} runs past the end of the message.");
            yield return new Field(number, wireType, message[start..position], message[payloadStart..position]);
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= bytes.Length) throw new InvalidDataException("A protobuf varint runs past the end of the message.");
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }

        throw new InvalidDataException("A protobuf varint is longer than 10 bytes.");
    }
}
