namespace IntelliFace.Tests.EndToEnd;

/// <summary>The labelled DeepFace photos in <c>../shared/faces/deepface</c>.</summary>
internal static class DeepFacePhotos
{
    public static string PathOf(string file) => SharedData.PathOf("faces", "deepface", file);

    /// <summary>Single-person photos and their identity cluster, in file order (group photos excluded).</summary>
    public static IReadOnlyList<(string File, string Cluster)> Identities { get; } =
        ReadTsv("identities.tsv")
            .Where(row => row[1].Length == 1)
            .Select(row => (row[0], row[1]))
            .ToArray();

    /// <summary>Labelled pairs (a, b, same person?).</summary>
    public static IReadOnlyList<(string A, string B, bool Same)> Pairs { get; } =
        ReadTsv("pairs.tsv").Select(row => (row[0], row[1], row[2] == "1")).ToArray();

    private static IEnumerable<string[]> ReadTsv(string name) =>
        File.ReadLines(PathOf(name)).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t'));
}
