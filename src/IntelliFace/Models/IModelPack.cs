using IntelliFace.Detection;
using IntelliFace.Embedding;
using IntelliFace.Imaging;

namespace IntelliFace.Models;

/// <summary>
/// A loaded model pack: a detector, an aligner and an embedder wired together. Everything downstream
/// sees only its <see cref="Id"/>. Implementations load their networks once and are thread-safe.
/// </summary>
public interface IModelPack : IDisposable
{
    PackManifest Manifest { get; }

    PackId Id { get; }

    /// <summary>The faces in an upright image, most confident first; geometry in pixels of that image.</summary>
    IReadOnlyList<FoundFace> FindFaces(RgbImage image);

    /// <summary>The embedding of one face found in the same image by <see cref="FindFaces"/>.</summary>
    FaceEmbedding Embed(RgbImage image, FoundFace face);
}

/// <summary>A face the pack found: detection, landmarks and the crop its embedder will see (image px).</summary>
public sealed record FoundFace(FaceDetection Detection, IReadOnlyList<PointD> Landmarks, PixelRect AlignedCrop);
