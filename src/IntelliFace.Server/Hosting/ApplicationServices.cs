using IntelliFace.Imaging;
using IntelliFace.Models;
using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Server.Hosting;

/// <summary>The application layer the endpoints call, for one caller per request; the vault and pack are the host's.</summary>
internal sealed class ApplicationServices(TemplateVault vault, IModelPack pack, BreakGlassPolicy breakGlass)
{
    private readonly FacePipeline _pipeline = new(pack, new ImageIntake());
    private readonly SemaphoreSlim _recognitionSlots = new(Environment.ProcessorCount);

    public TemplateVault Vault => vault;

    public IModelPack Pack => pack;

    public FacePipeline Pipeline => _pipeline;

    public FaceRecognitionService Recognition(Caller caller) => new(_pipeline, vault, caller);

    /// <summary>
    /// Runs <paramref name="recognise"/> (decoding and inference: CPU-bound, synchronous) with at most one call per core
    /// at a time; the others wait without holding a thread. Unbounded, dozens of concurrent photos occupy every thread
    /// and the bodies of other requests are read so late that Kestrel answers 408 for clients that sent in time.
    /// </summary>
    public async Task<T> RecogniseAsync<T>(Func<T> recognise, CancellationToken cancellation)
    {
        await _recognitionSlots.WaitAsync(cancellation);
        try
        {
            return recognise();
        }
        finally
        {
            _recognitionSlots.Release();
        }
    }

    public TenantDataService Data(Caller caller) => new(vault, caller);

    public OperatorService Operators(Caller caller) => new(vault, caller, breakGlass);
}
