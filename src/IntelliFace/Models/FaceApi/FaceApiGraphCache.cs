using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntelliFace.Models.Tfjs;

namespace IntelliFace.Models.FaceApi;

/// <summary>
/// The ONNX bytes of face-api's landmark and recognition networks, built from the TensorFlow.js
/// weights in a model folder and cached next to them. Building the recognition graph costs about
/// a second in a fresh process; reading the cache costs a hash of the weights and a file read.
/// </summary>
/// <remarks>
/// A cache file is named by the SHA-256 of <see cref="BuilderVersion"/>, the network's name and
/// the bytes of its manifest and shards, so new weights or a changed builder never meet a stale
/// graph. It is written to a temporary file and renamed into place; a folder that cannot be
/// written to only means no cache. The cache is as trustworthy as the folder: whoever can write
/// there can also replace the weights.
/// </remarks>
internal static class FaceApiGraphCache
{
    /// <summary>Bump whenever a graph builder's output changes (a test pins the graphs' hashes).</summary>
    public const int BuilderVersion = 1;

    public const string LandmarkModelName = "face_landmark_68_model";
    public const string RecognitionModelName = "face_recognition_model";

    public static byte[] LoadOrBuildLandmark68(string modelFolder) =>
        LoadOrBuild(modelFolder, LandmarkModelName, FaceLandmark68Graph.Build);

    public static byte[] LoadOrBuildRecognition(string modelFolder) =>
        LoadOrBuild(modelFolder, RecognitionModelName, FaceRecognitionGraph.Build);

    public static string ManifestPath(string modelFolder, string modelName) =>
        Path.Combine(modelFolder, $"{modelName}-weights_manifest.json");

    /// <summary>Where the graph built from the current weights is (or would be) cached.</summary>
    public static string CachePath(string modelFolder, string modelName) =>
        Path.Combine(modelFolder, $"{modelName}.{CacheKey(modelFolder, modelName)}.onnx");

    private static byte[] LoadOrBuild(string modelFolder, string modelName, Func<TfjsWeights, byte[]> build)
    {
        var cachePath = CachePath(modelFolder, modelName);
        if (File.Exists(cachePath))
        {
            try
            {
                return File.ReadAllBytes(cachePath);
            }
            catch (IOException)
            {
                // Unreadable cache: rebuild below.
            }
        }

        var model = build(TfjsWeights.Load(ManifestPath(modelFolder, modelName)));
        TryWrite(modelFolder, modelName, cachePath, model);
        return model;
    }

    private static string CacheKey(string modelFolder, string modelName)
    {
        var manifestPath = ManifestPath(modelFolder, modelName);
        if (!File.Exists(manifestPath))
            throw new FaceException(FaceErrorCode.ModelNotInstalled, $"The face-api model files are not installed in {modelFolder}: run `intelliface models install`.");

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"intelliface-faceapi-graph/{BuilderVersion}/{modelName}\n"));
        var manifest = File.ReadAllBytes(manifestPath);
        hash.AppendData(manifest);
        foreach (var shard in ShardNames(manifest))
        {
            var shardPath = Path.Combine(modelFolder, shard);
            if (!File.Exists(shardPath))
                throw new FaceException(FaceErrorCode.ModelNotInstalled, $"The face-api weight file {shard} is missing from {modelFolder}: run `intelliface models install`.");
            hash.AppendData(File.ReadAllBytes(shardPath));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

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
