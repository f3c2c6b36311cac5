using System.Security.Cryptography;

namespace IntelliFace.Models;

/// <summary>
/// The folder that holds installed model files, in the sub-folders their manifests name (files
/// shared by several packs are installed once). Defaults to a per-user cache;
/// <c>INTELLIFACE_MODELS</c> overrides it. Files are checked against the pack's pinned sha256
/// before anything loads them.
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

    public string PathOf(PackFile file) => Path.Combine(Root, file.Folder, file.Name);

    public string PathOf(PackManifest pack, string fileName) => PathOf(pack.File(fileName));

    /// <summary>The folder holding <paramref name="fileName"/> (and the files installed beside it).</summary>
    public string FolderOf(PackManifest pack, string fileName) => Path.Combine(Root, pack.File(fileName).Folder);

    /// <summary>True when every file of the pack is present (hashes are checked by <see cref="VerifyInstalled"/>).</summary>
    public bool IsInstalled(PackManifest pack) => pack.Files.All(f => File.Exists(PathOf(f)));

    /// <summary>True when the file is present with its pinned sha256.</summary>
    public bool HasVerified(PackFile file)
    {
        var path = PathOf(file);
        return File.Exists(path) && Sha256Hex(path) == file.Sha256;
    }

    /// <summary>Checks presence and sha256 of every file; throws <c>model_not_installed</c> or <c>model_integrity</c>.</summary>
    public void VerifyInstalled(PackManifest pack)
    {
        foreach (var file in pack.Files)
        {
            var path = PathOf(file);
            if (!File.Exists(path))
                throw new FaceException(FaceErrorCode.ModelNotInstalled,
                    $"The model pack '{pack.Name}' is not installed in {Root} ({file.Name} is missing): run 'intelliface models install {pack.Name}'"
                    + (file.Urls.Count > 0 ? $" or 'intelliface models import {file.Name}'." : "."));
            var actual = Sha256Hex(path);
            if (actual != file.Sha256)
                throw new FaceException(FaceErrorCode.ModelIntegrity,
                    $"The file {file.Name} of the model pack '{pack.Name}' does not have its pinned sha256 (got {actual}); reinstall the pack.");
        }
    }

    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Sha256Hex(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
