using System.Security.Cryptography;

namespace IntelliFace.Models;

/// <summary>
/// The folder that holds installed model packs, one sub-folder per pack name. Defaults to a
/// per-user cache; <c>INTELLIFACE_MODELS</c> overrides it. Files are checked against the pack's
/// pinned sha256 before anything loads them.
/// </summary>
public sealed class ModelStore
{
    public const string EnvironmentVariable = "INTELLIFACE_MODELS";

    public ModelStore(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }

    public static ModelStore FromEnvironment()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured)) return new ModelStore(configured);
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrWhiteSpace(cache))
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return new ModelStore(Path.Combine(cache, "intelliface", "models"));
    }

    public string PackFolder(PackManifest pack) => Path.Combine(Root, pack.Name);

    public string PathOf(PackManifest pack, string fileName) => Path.Combine(PackFolder(pack), pack.File(fileName).Name);

    /// <summary>True when every file of the pack is present (hashes are checked by <see cref="VerifyInstalled"/>).</summary>
    public bool IsInstalled(PackManifest pack) => pack.Files.All(f => File.Exists(Path.Combine(PackFolder(pack), f.Name)));

    /// <summary>Checks presence and sha256 of every file; throws <c>model_not_installed</c> or <c>model_integrity</c>.</summary>
    public void VerifyInstalled(PackManifest pack)
    {
        foreach (var file in pack.Files)
        {
            var path = Path.Combine(PackFolder(pack), file.Name);
            if (!File.Exists(path))
                throw new FaceException(FaceErrorCode.ModelNotInstalled,
                    $"The model pack '{pack.Name}' is not installed in {Root}: run 'intelliface models install {pack.Name}'.");
            var actual = Sha256Hex(File.ReadAllBytes(path));
            if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new FaceException(FaceErrorCode.ModelIntegrity,
                    $"The file {file.Name} of the model pack '{pack.Name}' does not have its pinned sha256 (got {actual}); reinstall the pack.");
        }
    }

    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
