namespace IntelliFace.Tests.FaceApi;

/// <summary>
/// The installed face-api weights: <c>$INTELLIFACE_MODELS/faceapi-dlib/</c>, or
/// <c>~/.cache/intelliface/models/faceapi-dlib/</c> without the variable. Missing files fail the
/// test (they never skip it), telling how to install them.
/// </summary>
internal static class FaceApiModelFiles
{
    public const string LandmarkManifest = "face_landmark_68_model-weights_manifest.json";
    public const string RecognitionManifest = "face_recognition_model-weights_manifest.json";

    public static string Folder
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("INTELLIFACE_MODELS");
            if (string.IsNullOrEmpty(root))
                root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "intelliface", "models");
            return Path.Combine(root, "faceapi-dlib");
        }
    }

    public static string PathOf(string fileName)
    {
        var path = Path.Combine(Folder, fileName);
        if (!File.Exists(path))
            Assert.Fail($"The face-api model file {path} is missing: run `intelliface models install` (or set INTELLIFACE_MODELS to the folder that holds faceapi-dlib/).");
        return path;
    }
}
