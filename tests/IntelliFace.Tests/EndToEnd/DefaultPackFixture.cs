using IntelliFace.Imaging;
using IntelliFace.Models;
using IntelliFace.Recognition;

namespace IntelliFace.Tests.EndToEnd;

/// <summary>
/// The installed default pack, loaded once for a test class (it is thread-safe). A missing or altered
/// pack fails the tests with the message telling to run <c>intelliface models install</c>.
/// </summary>
public sealed class DefaultPackFixture : IDisposable
{
    public DefaultPackFixture()
    {
        Manifest = PackManifest.Load(PackManifest.DefaultPackName);
        Pack = ModelPackLoader.Load(Manifest, ModelStore.FromEnvironment());
        Pipeline = new FacePipeline(Pack, new ImageIntake());
    }

    public PackManifest Manifest { get; }

    public IModelPack Pack { get; }

    public FacePipeline Pipeline { get; }

    public void Dispose() => Pack.Dispose();
}
