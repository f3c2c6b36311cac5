using IntelliFace.Alignment;
using IntelliFace.Embedding;
using IntelliFace.Models.FaceApi;
using IntelliFace.Models.Tfjs;

namespace IntelliFace.Tests.FaceApi;

/// <summary>The landmark and recognition networks built once from the installed weights, shared by a test class.</summary>
public sealed class FaceApiNetworks : IDisposable
{
    private readonly Lazy<FaceLandmarkNet> _landmarks = new(() =>
        new FaceLandmarkNet(FaceLandmark68Graph.Build(TfjsWeights.Load(FaceApiModelFiles.PathOf(FaceApiModelFiles.LandmarkManifest)))));

    private readonly Lazy<FaceRecognitionNet> _recognition = new(() =>
        new FaceRecognitionNet(FaceRecognitionGraph.Build(TfjsWeights.Load(FaceApiModelFiles.PathOf(FaceApiModelFiles.RecognitionManifest)))));

    internal FaceLandmarkNet Landmarks => _landmarks.Value;

    internal FaceRecognitionNet Recognition => _recognition.Value;

    public void Dispose()
    {
        if (_landmarks.IsValueCreated) _landmarks.Value.Dispose();
        if (_recognition.IsValueCreated) _recognition.Value.Dispose();
    }
}
