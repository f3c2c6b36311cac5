using System.Security.Cryptography;

namespace IntelliFace.Bench.Http;

/// <summary>A photo of one person, read into memory once; <see cref="Path"/> is for the CLI, which takes a file.</summary>
internal sealed record PersonPhoto(string Subject, string Path, byte[] Bytes);

/// <summary>
/// The people the HTTP benchmark enrolls and asks about: the 13 identities of <c>../shared/faces/deepface</c>
/// (<c>identities.tsv</c>), whose first JPEG is enrolled and second JPEG is the probe, plus, to give identify a larger
/// gallery, the first photo of the first people of <c>../shared/faces/lfw-dev</c>, enrolled only.
/// </summary>
internal sealed class BenchPeople : IDisposable
{
    private BenchPeople(IReadOnlyList<PersonPhoto> enrolled, IReadOnlyList<PersonPhoto> probes, IReadOnlyList<PersonPhoto> extraGallery)
    {
        Enrolled = enrolled;
        Probes = probes;
        ExtraGallery = extraGallery;
    }

    public IReadOnlyList<PersonPhoto> Enrolled { get; }

    /// <summary>Another photo of each enrolled DeepFace person, sent raw as <c>image/jpeg</c>.</summary>
    public IReadOnlyList<PersonPhoto> Probes { get; }

    public IReadOnlyList<PersonPhoto> ExtraGallery { get; }

    public static BenchPeople Load(int extraGallery)
    {
        var folder = BenchPaths.SharedPath("faces", "deepface");
        var byPerson = File.ReadLines(System.IO.Path.Combine(folder, "identities.tsv")).Skip(1)
            .Select(line => line.Split('\t'))
            .Where(row => row.Length >= 2 && row[1].Length == 1)
            .GroupBy(row => row[1], StringComparer.Ordinal)
            .Select(person => person
                .Select(row => System.IO.Path.Combine(folder, row[0]))
                .Select(path => new PersonPhoto($"deepface-{person.Key.ToLowerInvariant()}", path, File.ReadAllBytes(path)))
                .Where(photo => IsJpeg(photo.Bytes))
                .Take(2)
                .ToArray())
            .Where(photos => photos.Length == 2)
            .ToArray();

        var lfw = BenchPaths.SharedPath("faces", "lfw-dev");
        var extra = Directory.GetDirectories(lfw).Order(StringComparer.Ordinal).Take(extraGallery)
            .Select(person => Directory.GetFiles(person, "*.jpg").Order(StringComparer.Ordinal).First())
            .Select((path, i) => new PersonPhoto($"lfw-{i:000}", path, File.ReadAllBytes(path)))
            .ToArray();
        return new BenchPeople(byPerson.Select(p => p[0]).ToArray(), byPerson.Select(p => p[1]).ToArray(), extra);
    }

    private static bool IsJpeg(byte[] bytes) => bytes is [0xFF, 0xD8, 0xFF, ..];

    public void Dispose()
    {
        foreach (var photo in Enrolled.Concat(Probes).Concat(ExtraGallery)) CryptographicOperations.ZeroMemory(photo.Bytes);
    }
}
