using IntelliFace.Imaging;
using IntelliFace.Models;
using IntelliFace.Recognition;

namespace IntelliFace.Tests.EndToEnd;

/// <summary>
/// The installed face-api pack (<c>faceapi-dlib</c>), loaded once for a test class (it is thread-safe): the pack the
/// end-to-end figures are pinned on (see <see cref="TestPack"/>). A missing or altered pack fails the tests with the
/// message telling to run <c>intelliface models install</c>.
/// </summary>
public sealed class FaceApiPackFixture : IDisposable
{
    public FaceApiPackFixture()
    {
        Manifest = PackManifest.Load(TestPack.Name);
        Pack = ModelPackLoader.Load(Manifest, ModelStore.FromEnvironment());
        Pipeline = new FacePipeline(Pack, new ImageIntake());
    }

    public PackManifest Manifest { get; }

    public IModelPack Pack { get; }

    public FacePipeline Pipeline { get; }

    public void Dispose() => Pack.Dispose();
}
