namespace IntelliFace.Bench.Lfw;

/// <summary>One labelled pair: the protocol fold, the two images (indexes into <see cref="LfwPairList.Images"/>) and the label.</summary>
internal readonly record struct LfwPair(int Fold, int ImageA, int ImageB, bool Same);

/// <summary>
/// <c>pairs.tsv</c> of the LFW dev folder: a header <c>fold a b same</c>, then one pair per line with
/// image paths relative to the folder. Each distinct image is listed once so it is embedded once.
/// </summary>
internal sealed class LfwPairList
{
    private LfwPairList(string folder, IReadOnlyList<string> images, IReadOnlyList<LfwPair> pairs)
    {
        Folder = folder;
        Images = images;
        Pairs = pairs;
    }

    public string Folder { get; }

    /// <summary>Distinct image paths, relative to <see cref="Folder"/>, in order of first appearance.</summary>
    public IReadOnlyList<string> Images { get; }

    public IReadOnlyList<LfwPair> Pairs { get; }

    public int FoldCount => Pairs.Max(p => p.Fold) + 1;

    public static LfwPairList Load(string folder)
    {
        var lines = File.ReadAllLines(Path.Combine(folder, "pairs.tsv"));
        if (lines.Length == 0 || lines[0] != "fold\ta\tb\tsame")
            throw new InvalidDataException("pairs.tsv must start with the header 'fold<TAB>a<TAB>b<TAB>same'.");

        var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var images = new List<string>();
        var pairs = new List<LfwPair>(lines.Length - 1);
        int IndexOf(string path)
        {
            if (indexOf.TryGetValue(path, out var index)) return index;
            indexOf[path] = images.Count;
            images.Add(path);
            return images.Count - 1;
        }

        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var fields = line.Split('\t');
            if (fields.Length != 4 || !int.TryParse(fields[0], out var fold) || fold < 0 || fields[3] is not ("0" or "1"))
                throw new InvalidDataException($"pairs.tsv: malformed line {pairs.Count + 2}.");
            pairs.Add(new LfwPair(fold, IndexOf(fields[1]), IndexOf(fields[2]), fields[3] == "1"));
        }

        return new LfwPairList(folder, images, pairs);
    }
}
