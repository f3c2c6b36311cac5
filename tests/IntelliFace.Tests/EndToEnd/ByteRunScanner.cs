namespace IntelliFace.Tests.EndToEnd;

/// <summary>
/// Finds whether any run of <see cref="RunLength"/> consecutive bytes of one input also occurs in a
/// corpus (files and captured output). Rolling hashes index every window of the corpus, then every
/// window of the input is looked up; a hit is confirmed byte by byte. Windows with fewer than
/// <see cref="MinDistinctBytes"/> distinct values (zero padding and the like, which every database
/// page holds too) are not photo content and are ignored.
/// </summary>
internal sealed class ByteRunScanner
{
    public const int RunLength = 64;
    public const int MinDistinctBytes = 16;
    private const ulong Base = 1_000_003;

    private readonly List<(string Name, byte[] Bytes)> _corpus = [];
    private readonly Dictionary<ulong, List<(int Document, int Offset)>> _windows = [];
    private static readonly ulong BasePowRun = Power(Base, RunLength);

    public void Add(string name, byte[] bytes)
    {
        var document = _corpus.Count;
        _corpus.Add((name, bytes));
        foreach (var (hash, offset) in Windows(bytes))
        {
            if (DistinctValues(bytes.AsSpan(offset, RunLength)) < MinDistinctBytes) continue;
            if (!_windows.TryGetValue(hash, out var list)) _windows[hash] = list = [];
            list.Add((document, offset));
        }
    }

    public int CorpusBytes => _corpus.Sum(c => c.Bytes.Length);

    /// <summary>The name of the first corpus entry holding a 64-byte run of <paramref name="input"/>, or null.</summary>
    public string? FindRunOf(byte[] input)
    {
        foreach (var (hash, offset) in Windows(input))
        {
            if (!_windows.TryGetValue(hash, out var hits)) continue;
            foreach (var (document, at) in hits)
            {
                if (_corpus[document].Bytes.AsSpan(at, RunLength).SequenceEqual(input.AsSpan(offset, RunLength)))
                    return $"{_corpus[document].Name} at byte {at}";
            }
        }

        return null;
    }

    private static IEnumerable<(ulong Hash, int Offset)> Windows(byte[] bytes)
    {
        if (bytes.Length < RunLength) yield break;
        ulong hash = 0;
        for (var i = 0; i < RunLength; i++) hash = hash * Base + bytes[i];
        yield return (hash, 0);
        for (var i = RunLength; i < bytes.Length; i++)
        {
            hash = hash * Base + bytes[i] - bytes[i - RunLength] * BasePowRun;
            yield return (hash, i - RunLength + 1);
        }
    }

    private static int DistinctValues(ReadOnlySpan<byte> run)
    {
        Span<bool> seen = stackalloc bool[256];
        var count = 0;
        foreach (var value in run)
        {
            if (!seen[value]) count++;
            seen[value] = true;
        }

        return count;
    }

    private static ulong Power(ulong value, int exponent)
    {
        ulong result = 1;
        for (var i = 0; i < exponent; i++) result *= value;
        return result;
    }
}
