using IntelliFace.Imaging;
using IntelliFace.Models;
using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Server.Hosting;

/// <summary>The application layer the endpoints call, for one caller per request; the vault and pack are the host's.</summary>
internal sealed class ApplicationServices(TemplateVault vault, IModelPack pack, BreakGlassPolicy breakGlass, PipelineSlots slots)
{
    private readonly FacePipeline _pipeline = new(pack, new ImageIntake());

    /// <summary>Taken around every use of <see cref="Pipeline"/> (enroll, verify, identify, compare).</summary>
    public PipelineSlots PipelineSlots => slots;

    public TemplateVault Vault => vault;

    public IModelPack Pack => pack;

    public FacePipeline Pipeline => _pipeline;

    public FaceRecognitionService Recognition(Caller caller) => new(_pipeline, vault, caller);

    public TenantDataService Data(Caller caller) => new(vault, caller);

    public OperatorService Operators(Caller caller) => new(vault, caller, breakGlass);
}
