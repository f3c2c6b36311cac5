using IntelliFace.Imaging;
using IntelliFace.Models;
using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Cli;

/// <summary>What one CLI invocation opened: the vault (keys, database) and the model pack, as the command needs.</summary>
internal sealed class CliContext : IDisposable
{
    private readonly IModelPack? _pack;
    private readonly TemplateVault? _vault;
    private readonly FacePipeline? _pipeline;

    private CliContext(CliOutput output, IModelPack? pack, TemplateVault? vault)
    {
        Output = output;
        _pack = pack;
        _vault = vault;
        if (vault is not null && System.Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } apiKey)
            Caller = new ApiKeyAuthenticator(vault).Authenticate(apiKey);
        if (pack is not null) _pipeline = new FacePipeline(pack, new ImageIntake());
    }

    public CliOutput Output { get; }

    public IModelPack Pack => _pack ?? throw new InvalidOperationException("This command did not load a model pack.");

    public FacePipeline Pipeline => _pipeline ?? throw new InvalidOperationException("This command did not load a model pack.");

    public TemplateVault Vault => _vault ?? throw new InvalidOperationException("This command did not open the vault.");

    /// <summary>The API key the CLI acts with, read from the environment only (a command-line argument would
    /// show in process listings and shell history).</summary>
    public const string ApiKeyVariable = "INTELLIFACE_API_KEY";

    /// <summary>Who this invocation acts for: the holder of <see cref="ApiKeyVariable"/>'s key when it is set,
    /// else the local administrator (whoever holds the master key on this host).</summary>
    public Caller Caller { get; } = Caller.LocalAdministrator;

    public OperatorService Operators => new(Vault, Caller, BreakGlassPolicy.FromEnvironment());

    public FaceRecognitionService Service => new(Pipeline, Vault, Caller);

    public TenantDataService Data => new(Vault, Caller);

    /// <param name="packName">The <c>--pack</c> option; null for <c>INTELLIFACE_PACK</c> or the default pack.</param>
    /// <param name="nextMasterKeyFile">When given, the vault opens for a master key rotation to the key in this
    /// file (created owner-only when missing).</param>
    public static CliContext Open(CliOutput output, string? dataFolder, string? keyFile, string? packName, bool needsPack, bool needsVault, string? nextMasterKeyFile = null)
    {
        TemplateVault? vault = null;
        IModelPack? pack = null;
        try
        {
            // The pack first: a missing pack must not leave a new, empty vault and key behind.
            if (needsPack) pack = ModelPackLoader.Load(PackManifest.Select(packName), ModelStore.FromEnvironment());
            if (needsVault) vault = OpenVault(output, dataFolder, keyFile, nextMasterKeyFile);
            return new CliContext(output, pack, vault);
        }
        catch
        {
            vault?.Dispose();
            pack?.Dispose();
            throw;
        }
    }

    private static TemplateVault OpenVault(CliOutput output, string? dataFolder, string? keyFile, string? nextMasterKeyFile)
    {
        var defaults = VaultPaths.FromEnvironment();
        var paths = new VaultPaths(
            dataFolder is null ? defaults.DataDirectory : Path.GetFullPath(dataFolder),
            keyFile is null ? defaults.MasterKeyFile : Path.GetFullPath(keyFile));

        IMasterKeyProvider keys;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EnvironmentMasterKeyProvider.VariableName)))
        {
            keys = new EnvironmentMasterKeyProvider();
        }
        else
        {
            if (IsInside(paths.MasterKeyFile, paths.DataDirectory))
                output.Warning("the master key file is inside the data folder: a copy of the data folder would carry the key that opens it.");
            // A new key is only for a new vault: an existing vault with a missing key file is an error, not a fresh start.
            var vaultExists = File.Exists(Path.Combine(paths.DataDirectory, VaultLocation.VaultFileName));
            if (vaultExists && !File.Exists(paths.MasterKeyFile))
                throw new FaceException(FaceErrorCode.KeyUnavailable,
                    $"The vault in {paths.DataDirectory} exists but its master key file {paths.MasterKeyFile} does not; restore the key file or point --key-file at it.");
            keys = new KeyFileMasterKeyProvider(paths.MasterKeyFile, createIfMissing: !vaultExists, created =>
                output.Warning($"created a new master key in {created} (owner-only). In production, supply the key from a secret store (${EnvironmentMasterKeyProvider.VariableName}) and keep it away from the data."));
        }

        try
        {
            var location = System.Environment.GetEnvironmentVariable(VaultPaths.PostgresVariable) is { Length: > 0 } postgres
                ? VaultLocation.Postgres(postgres, System.Environment.GetEnvironmentVariable(VaultPaths.PostgresKeyStoreVariable) is { Length: > 0 } keyStore ? keyStore : null)
                : VaultLocation.SqliteFolder(paths.DataDirectory);
            return nextMasterKeyFile is null
                ? TemplateVault.Open(location, keys)
                : TemplateVault.OpenForMasterRotation(location, keys, new KeyFileMasterKeyProvider(nextMasterKeyFile, createIfMissing: true));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FaceException(FaceErrorCode.KeyUnavailable, $"The master key file or the data folder cannot be used: {e.Message}", e);
        }
    }

    private static bool IsInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(folder), Path.GetFullPath(path));
        return !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    public void Dispose()
    {
        _vault?.Dispose();
        _pack?.Dispose();
    }
}
