using System.Diagnostics;
using IntelliFace.Imaging;
using IntelliFace.Models;
using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Bench.Http;

/// <summary>
/// Tenant <c>bench</c> in a new SQLite vault with one <c>recognise</c> key and the gallery enrolled, and the
/// application layer on it for that key's caller: what the in-process path calls while the service, in its own
/// process, has the same vault open.
/// </summary>
internal sealed class BenchTenant : IDisposable
{
    public static readonly TenantId Tenant = new("bench");

    private readonly IModelPack _pack;
    private readonly TemplateVault _vault;
    private readonly FaceRecognitionService _service;

    private BenchTenant(IModelPack pack, TemplateVault vault, FaceRecognitionService service, string apiKey, int gallerySize)
    {
        _pack = pack;
        _vault = vault;
        _service = service;
        ApiKey = apiKey;
        GallerySize = gallerySize;
    }

    public string ApiKey { get; }

    public int GallerySize { get; }

    public string PackId => _pack.Id.Value;

    public static BenchTenant SetUp(string dataFolder, string keyFile, BenchPeople people, TextWriter progress)
    {
        var pack = ModelPackLoader.Load(PackManifest.Load(PackManifest.DefaultPackName), ModelStore.FromEnvironment());
        TemplateVault? vault = null;
        try
        {
            vault = TemplateVault.OpenSqlite(dataFolder, new KeyFileMasterKeyProvider(keyFile, createIfMissing: true));
            var operators = new OperatorService(vault);
            operators.CreateTenant(Tenant);
            using var token = operators.CreateApiKey(Tenant, Scopes.Recognise);
            var apiKey = token.Reveal();

            var pipeline = new FacePipeline(pack, new ImageIntake());
            var administrator = new FaceRecognitionService(pipeline, vault);
            foreach (var photo in people.Enrolled) administrator.Enroll(Tenant, new SubjectId(photo.Subject), photo.Bytes);
            var gallery = people.Enrolled.Count;
            foreach (var photo in people.ExtraGallery)
            {
                try
                {
                    administrator.Enroll(Tenant, new SubjectId(photo.Subject), photo.Bytes);
                    gallery++;
                }
                catch (FaceException)
                {
                    // no usable face, or several: that LFW person is left out of the gallery
                }
            }
            progress.WriteLine($"http: enrolled {gallery} subjects ({people.Enrolled.Count} DeepFace, {gallery - people.Enrolled.Count} LFW)");

            var service = new FaceRecognitionService(pipeline, vault, new ApiKeyAuthenticator(vault).Authenticate(apiKey));
            return new BenchTenant(pack, vault, service, apiKey, gallery);
        }
        catch
        {
            vault?.Dispose();
            pack.Dispose();
            throw;
        }
    }

    /// <summary>One in-process call, as the service's endpoint makes it: milliseconds.</summary>
    public double Time(RecognitionCall operation, PersonPhoto probe)
    {
        var started = Stopwatch.GetTimestamp();
        if (operation == RecognitionCall.Verify) _service.Verify(Tenant, new SubjectId(probe.Subject), probe.Bytes);
        else _service.Identify(Tenant, probe.Bytes, LoadGenerator.IdentifyTop);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    public void Dispose()
    {
        _vault.Dispose();
        _pack.Dispose();
    }
}
