using System.Security.Cryptography;
using IntelliFace.Models.FaceApi;
using IntelliFace.Models.Tfjs;

namespace IntelliFace.Tests.FaceApi;

public sealed class FaceApiGraphCacheTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("intelliface-graph-cache-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_graphs_built_from_the_1_7_15_weights_are_frozen()
    {
        var landmark = FaceLandmark68Graph.Build(TfjsWeights.Load(FaceApiModelFiles.PathOf(FaceApiModelFiles.LandmarkManifest)));
        var recognition = FaceRecognitionGraph.Build(TfjsWeights.Load(FaceApiModelFiles.PathOf(FaceApiModelFiles.RecognitionManifest)));

        // A change here means cached graphs of the old builder are stale: bump
        // FaceApiGraphCache.BuilderVersion (now 1) and update its pinned hashes and these.
        Assert.Equal(1, FaceApiGraphCache.BuilderVersion);
        Assert.Equal("b9f6e81585755d8bc2084d45759acdd8612f199edb8f9cb4cc9daa4a47057a96", Convert.ToHexStringLower(SHA256.HashData(landmark)));
        Assert.Equal("f864b3a0e1cd9a2fb10987d19443a1157097babe8e96ce88fc5ceb52cc0a1b3b", Convert.ToHexStringLower(SHA256.HashData(recognition)));
        Assert.Equal(FaceApiGraphCache.LandmarkGraphSha256, Convert.ToHexStringLower(SHA256.HashData(landmark)));
        Assert.Equal(FaceApiGraphCache.RecognitionGraphSha256, Convert.ToHexStringLower(SHA256.HashData(recognition)));
    }

    [Fact]
    public void The_first_load_writes_the_graph_next_to_the_weights_and_the_next_load_reads_it()
    {
        CopyLandmarkWeights();
        var expected = FaceLandmark68Graph.Build(TfjsWeights.Load(Path.Combine(_folder, FaceApiModelFiles.LandmarkManifest)));

        var built = FaceApiGraphCache.LoadOrBuildLandmark68(_folder);
        var cachePath = FaceApiGraphCache.CachePath(_folder, FaceApiGraphCache.LandmarkModelName);
        var written = File.ReadAllBytes(cachePath);
        File.Delete(Path.Combine(_folder, "face_landmark_68_model.bin"));
        var cached = FaceApiGraphCache.LoadOrBuildLandmark68(_folder);

        Assert.Equal(expected, built);
        Assert.Equal(expected, written);
        Assert.Equal(expected, cached);
        Assert.Empty(Directory.EnumerateFiles(_folder, "*.tmp"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(200_000)]
    public void A_tampered_cached_graph_is_never_run_but_rebuilt_from_the_weights(int flippedByte)
    {
        CopyLandmarkWeights();
        var expected = FaceApiGraphCache.LoadOrBuildLandmark68(_folder);
        var cachePath = FaceApiGraphCache.CachePath(_folder, FaceApiGraphCache.LandmarkModelName);
        var tampered = File.ReadAllBytes(cachePath);
        tampered[flippedByte] ^= 0x40;
        File.WriteAllBytes(cachePath, tampered);

        var loaded = FaceApiGraphCache.LoadOrBuildLandmark68(_folder);

        Assert.Equal(expected, loaded);
        Assert.Equal(expected, File.ReadAllBytes(cachePath));
    }

    [Fact]
    public void Weights_that_do_not_build_the_pinned_graph_are_refused()
    {
        CopyLandmarkWeights();
        var binPath = Path.Combine(_folder, "face_landmark_68_model.bin");
        var weights = File.ReadAllBytes(binPath);
        weights[^1] ^= 1;
        File.WriteAllBytes(binPath, weights);

        var error = Assert.Throws<FaceException>(() => FaceApiGraphCache.LoadOrBuildLandmark68(_folder));

        Assert.Equal(FaceErrorCode.ModelIntegrity, error.Code);
        Assert.False(File.Exists(FaceApiGraphCache.CachePath(_folder, FaceApiGraphCache.LandmarkModelName)));
    }

    [Fact]
    public void A_folder_without_the_weights_is_reported_as_not_installed()
    {
        var error = Assert.Throws<FaceException>(() => FaceApiGraphCache.LoadOrBuildRecognition(_folder));

        Assert.Equal(FaceErrorCode.ModelNotInstalled, error.Code);
        Assert.Contains("intelliface models install", error.Message);
    }

    private void CopyLandmarkWeights()
    {
        foreach (var name in new[] { FaceApiModelFiles.LandmarkManifest, "face_landmark_68_model.bin" })
            File.Copy(FaceApiModelFiles.PathOf(name), Path.Combine(_folder, name));
    }
}
