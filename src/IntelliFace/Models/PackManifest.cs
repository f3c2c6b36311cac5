using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using IntelliFace.Embedding;

namespace IntelliFace.Models;

/// <summary>
/// What a model pack is made of: where its files come from, the sha256 of every file (a load
/// refuses a mismatch), and the same-person threshold calibrated for it. Manifests ship inside the
/// library, so a pack's pins cannot be changed without a new release.
/// </summary>
public sealed record PackManifest
{
    public required string Name { get; init; }
    public required int PipelineVersion { get; init; }
    public required string Description { get; init; }
    public required PackSource Source { get; init; }
    public required IReadOnlyList<PackFile> Files { get; init; }
    public required string EmbedderFile { get; init; }
    /// <summary>Smallest face (detection box side, in pixels of the analysed image) accepted for enrollment.</summary>
    public required int MinFaceSizePx { get; init; }
    public required PackThreshold Threshold { get; init; }

    /// <summary>
    /// The version id every template records: the pack name, the first 8 hex digits of the embedder
    /// weights' sha256 and the pipeline version. Any change to weights or preprocessing yields a new id.
    /// </summary>
    [JsonIgnore]
    public PackId Id => new($"{Name}@{File(EmbedderFile).Sha256[..8]}-p{PipelineVersion}");

    public PackFile File(string name) =>
        Files.FirstOrDefault(f => f.Name == name)
        ?? throw new FaceException(FaceErrorCode.ModelIntegrity, $"The pack '{Name}' has no file '{name}'.");

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The names of the packs this release knows.</summary>
    public static IReadOnlyList<string> KnownPackNames { get; } =
        typeof(PackManifest).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("packs/", StringComparison.Ordinal))
            .Select(n => n["packs/".Length..^".json".Length])
            .Order(StringComparer.Ordinal)
            .ToArray();

    public const string DefaultPackName = "faceapi-dlib";

    public static PackManifest Load(string name)
    {
        using var stream = typeof(PackManifest).Assembly.GetManifestResourceStream($"packs/{name}.json")
            ?? throw new FaceException(FaceErrorCode.InvalidArgument,
                $"There is no model pack '{name}'. Known packs: {string.Join(", ", KnownPackNames)}.");
        return JsonSerializer.Deserialize<PackManifest>(stream, JsonOptions)
            ?? throw new FaceException(FaceErrorCode.ModelIntegrity, $"The manifest of '{name}' is empty.");
    }
}

/// <summary>Where a pack's files are published. <c>npm</c>: a package tarball whose integrity npm and we check.</summary>
public sealed record PackSource(string Kind, string Package, string Version, string Integrity);

/// <summary>One file of a pack: its name in the models folder, its path in the source, its pinned sha256.</summary>
public sealed record PackFile(string Name, string PathInSource, string Sha256);

/// <summary>
/// Same-person decision rule: cosine similarity of L2-normalised embeddings at or above <see cref="Cosine"/>.
/// <see cref="Calibration"/> says how the number was obtained.
/// </summary>
public sealed record PackThreshold(double Cosine, string Calibration);
