namespace IntelliFace.Tests.Server;

/// <summary>
/// Seeded damage to a request, the same for the same seed: bits flipped, bytes overwritten, inserted (random, or
/// characters that mean something to JSON, base64 and multipart), deleted, the body cut short; now and then the
/// Content-Type too.
/// </summary>
internal sealed class BodyMutator(int seed)
{
    private static readonly byte[][] Meaningful = ["\""u8.ToArray(), "\\"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(), ","u8.ToArray(),
        ":"u8.ToArray(), "="u8.ToArray(), "\r\n"u8.ToArray(), "--"u8.ToArray(), "\\u0000"u8.ToArray(), [0], [0xFF], [0xC3]];

    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] body)
    {
        var bytes = new List<byte>(body);
        for (var edits = _random.Next(1, 5); edits > 0; edits--)
        {
            var at = _random.Next(bytes.Count + 1);
            var inside = at < bytes.Count;
            switch (_random.Next(6))
            {
                case 0 when inside:
                    bytes[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1 when inside:
                    bytes[at] = (byte)_random.Next(256);
                    break;
                case 2:
                    var inserted = new byte[_random.Next(1, 9)];
                    _random.NextBytes(inserted);
                    bytes.InsertRange(at, inserted);
                    break;
                case 3:
                    bytes.InsertRange(at, Meaningful[_random.Next(Meaningful.Length)]);
                    break;
                case 4:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, _random.Next(1, 17)));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }
        return [.. bytes];
    }

    /// <summary>One time in ten, <paramref name="type"/> with a character replaced by a printable one (a header holds no others).</summary>
    public string MaybeMutate(string type)
    {
        if (_random.Next(10) != 0) return type;
        var chars = type.ToCharArray();
        chars[_random.Next(chars.Length)] = (char)_random.Next(0x20, 0x7F);
        return new string(chars);
    }
}
