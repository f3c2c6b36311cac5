using IntelliFace.Models.FaceApi;
using IntelliFace.Models.SFace;

namespace IntelliFace.Models;

/// <summary>Loads an installed model pack after checking every file against the pack's pinned sha256.</summary>
public static class ModelPackLoader
{
    public static IModelPack Load(PackManifest manifest, ModelStore store, int intraOpThreads = 1)
    {
        store.VerifyInstalled(manifest);
        return manifest.Name switch
        {
            "faceapi-dlib" => new FaceApiDlibPack(manifest, store.FolderOf(manifest, FaceApiGraphCache.RecognitionModelName + ".bin"), intraOpThreads),
            "yunet-sface" => new YuNetSFacePack(manifest, store, intraOpThreads),
            "yunet-faceapi-dlib" => new YuNetFaceApiPack(manifest, store, intraOpThreads),
            "yunet-dlibchip" => new YuNetFaceApiPack(manifest, store, intraOpThreads),
            _ => throw new FaceException(FaceErrorCode.InvalidArgument, $"This release cannot run the model pack '{manifest.Name}'."),
        };
    }
}
