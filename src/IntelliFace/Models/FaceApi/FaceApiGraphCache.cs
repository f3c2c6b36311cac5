using System.Security.Cryptography;
using System.Text.Json;
using IntelliFace.Models.Tfjs;

namespace IntelliFace.Models.FaceApi;

/// <summary>
/// The ONNX bytes of face-api's landmark and recognition networks, built from the TensorFlow.js
/// weights in a model folder and cached next to them. Building the recognition graph costs about
/// a second in a fresh process; reading the cache costs a file read and a hash.
/// </summary>
/// <remarks>
/// The weights are pinned by the pack manifest and the builder is deterministic, so each graph has
/// one right content, pinned here by its SHA-256. A cached graph is used only if it has that hash:
/// a tampered or stale cache file is rebuilt from the (hash-checked) weights and rewritten, never
/// run. The cache is written to a temporary file and renamed into place; a folder that cannot be
/// written to only means no cache.
/// </remarks>
internal static class FaceApiGraphCache
{
    /// <summary>Bump whenever a graph builder's output changes, together with the pinned hashes below.</summary>
    public const int BuilderVersion = 1;

    public const string LandmarkModelName = "face_landmark_68_model";
    public const string RecognitionModelName = "face_recognition_model";

    /// <summary>SHA-256 of the graphs built by <see cref="BuilderVersion"/> from the 1.7.15 weights.</summary>
    public const string LandmarkGraphSha256 = "b9f6e81585755d8bc2084d45759acdd8612f199edb8f9cb4cc9daa4a47057a96";
    public const string RecognitionGraphSha256 = "f864b3a0e1cd9a2fb10987d19443a1157097babe8e96ce88fc5ceb52cc0a1b3b";

    public static byte[] LoadOrBuildLandmark68(string modelFolder) =>
        LoadOrBuild(modelFolder, LandmarkModelName, LandmarkGraphSha256, FaceLandmark68Graph.Build);

    public static byte[] LoadOrBuildRecognition(string modelFolder) =>
        LoadOrBuild(modelFolder, RecognitionModelName, RecognitionGraphSha256, FaceRecognitionGraph.Build);

    public static string ManifestPath(string modelFolder, string modelName) =>
        Path.Combine(modelFolder, $"{modelName}-weights_manifest.json");

    /// <summary>Where the graph of the current builder is cached.</summary>
    public static string CachePath(string modelFolder, string modelName) =>
        Path.Combine(modelFolder, $"{modelName}.graph-v{BuilderVersion}.onnx");

    private static byte[] LoadOrBuild(string modelFolder, string modelName, string pinnedSha256, Func<TfjsWeights, byte[]> build)
    {
        var cachePath = CachePath(modelFolder, modelName);
        if (File.Exists(cachePath))
        {
            try
            {
                var cached = File.ReadAllBytes(cachePath);
                if (Sha256Hex(cached) == pinnedSha256) return cached;
            }
            catch (IOException)
            {
                // Unreadable cache: rebuild below.
            }
        }

        var manifestPath = ManifestPath(modelFolder, modelName);
        if (!File.Exists(manifestPath))
            throw new FaceException(FaceErrorCode.ModelNotInstalled, $"The face-api model files are not installed in {modelFolder}: run `intelliface models install`.");
        foreach (var shard in ShardNames(File.ReadAllBytes(manifestPath)))
        {
            if (!File.Exists(Path.Combine(modelFolder, shard)))
                throw new FaceException(FaceErrorCode.ModelNotInstalled, $"The face-api weight file {shard} is missing from {modelFolder}: run `intelliface models install`.");
        }

        var model = build(TfjsWeights.Load(manifestPath));
        if (Sha256Hex(model) != pinnedSha256)
            throw new FaceException(FaceErrorCode.ModelIntegrity,
                $"The {modelName} weights in {modelFolder} do not build the pinned graph; reinstall the pack with `intelliface models install`.");
        TryWrite(modelFolder, modelName, cachePath, model);
        return model;
    }

    private static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static IEnumerable<string> ShardNames(byte[] manifest)
    {
        using var document = JsonDocument.Parse(manifest);
        return document.RootElement.EnumerateArray()
            .SelectMany(group => group.GetProperty("paths").EnumerateArray())
            .Select(path => path.GetString()!)
            .ToArray();
    }

    private static void TryWrite(string modelFolder, string modelName, string cachePath, byte[] model)
    {
        var temporaryPath = $"{cachePath}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(model);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporaryPath, cachePath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only model folder: run without a cache.
            TryDelete(temporaryPath);
            return;
        }

        // Graphs of earlier weights or builder versions are never read again.
        foreach (var stale in Directory.EnumerateFiles(modelFolder, $"{modelName}.*.onnx"))
        {
            if (stale != cachePath) TryDelete(stale);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind; harmless.
        }
    }
}
