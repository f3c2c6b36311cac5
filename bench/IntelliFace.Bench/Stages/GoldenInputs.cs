using System.Security.Cryptography;

namespace IntelliFace.Bench.Stages;

/// <summary>One encoded input photo, held in memory for the run and wiped by <see cref="GoldenInputs.Dispose"/>.</summary>
internal sealed record EncodedPhoto(string Name, byte[] Bytes);

/// <summary>The face-api golden PNGs (<c>../shared/golden/faceapi/inputs</c>), in byte-wise name order as face-api processes them.</summary>
internal sealed class GoldenInputs : IDisposable
{
    private GoldenInputs(string folder, IReadOnlyList<EncodedPhoto> photos)
    {
        Folder = folder;
        Photos = photos;
    }

    public string Folder { get; }

    public IReadOnlyList<EncodedPhoto> Photos { get; }

    public static GoldenInputs Load()
    {
        var folder = BenchPaths.SharedPath("golden", "faceapi", "inputs");
        var photos = Directory.GetFiles(folder, "*.png")
            .Order(StringComparer.Ordinal)
            .Select(path => new EncodedPhoto(Path.GetFileName(path), File.ReadAllBytes(path)))
            .ToArray();
        if (photos.Length == 0) throw new InvalidOperationException($"No PNG inputs in {folder}.");
        return new GoldenInputs(folder, photos);
    }

    public void Dispose()
    {
        foreach (var photo in Photos) CryptographicOperations.ZeroMemory(photo.Bytes);
    }
}
