using IntelliFace.Models;

namespace IntelliFace.Tests.FaceApi;

/// <summary>
/// The installed face-api weights: the <c>faceapi-dlib</c> pack folder of the model store
/// (<c>$INTELLIFACE_MODELS/faceapi-dlib/</c>, else the per-user cache), checked against the pack's
/// pinned hashes once. Missing or altered files fail the test (never skip it) with the
/// store's message telling to run <c>intelliface models install</c>.
/// </summary>
internal static class FaceApiModelFiles
{
    public const string LandmarkManifest = "face_landmark_68_model-weights_manifest.json";
    public const string RecognitionManifest = "face_recognition_model-weights_manifest.json";

    private static readonly Lazy<string> VerifiedFolder = new(() =>
    {
        var pack = PackManifest.Load("faceapi-dlib");
        var store = ModelStore.FromEnvironment();
        store.VerifyInstalled(pack);
        return store.FolderOf(pack, "face_recognition_model.bin");
    });

    public static string Folder => VerifiedFolder.Value;

    public static string PathOf(string fileName) => Path.Combine(Folder, fileName);
}
