using System.CommandLine;
using System.Text.Json.Nodes;
using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Cli;

/// <summary><c>keys rotate tenant|master</c>: online, crash-safe rotation; run again to finish one cut short.</summary>
internal static class KeyCommands
{
    private static readonly Option<string?> TenantOption = new("--tenant") { Description = "The tenant whose data key to rotate." };
    private static readonly Option<bool> AllOption = new("--all") { Description = "Rotate every tenant's data key." };
    private static readonly Option<int> BatchOption = new("--batch")
    {
        Description = "Keys re-wrapped per transaction.",
        DefaultValueFactory = _ => KeyRotation.DefaultBatchSize,
    };
    private static readonly Option<string> NewKeyFileOption = new("--new-key-file")
    {
        Description = "File with the new master key (base64 of 32 bytes); created owner-only with a fresh key when missing.",
        Required = true,
    };

    public static Command Create()
    {
        var tenant = new Command("tenant", "Rotate a tenant's data key: re-wrap its subject keys under a new version, then destroy the old one.")
        {
            TenantOption, AllOption, BatchOption,
        };
        tenant.SetAction(CliApplication.Handle((parse, context) =>
        {
            var tenants = parse.GetValue(AllOption)
                ? context.Operators.ListTenants().Select(t => t.Id).ToArray()
                : [new TenantId(parse.GetValue(TenantOption) ?? throw CliApplication.Invalid("keys rotate tenant needs --tenant TENANT or --all."))];
            var results = tenants.Select(t => (Tenant: t, Result: context.Operators.RotateTenantKey(t, parse.GetValue(BatchOption)))).ToArray();
            context.Output.Result(
                new JsonObject { ["rotated"] = new JsonArray(results.Select(r => (JsonNode)ResultDocuments.Rotation(r.Result, r.Tenant)).ToArray()) },
                () => results.Select(r => $"{r.Tenant}: {Text(r.Result)}"));
            return 0;
        }, needsPack: false));

        var master = new Command("master", "Re-wrap every tenant key and the audit key under a new master key. Then install the new key in place of the old one.")
        {
            NewKeyFileOption, BatchOption,
        };
        master.SetAction(CliApplication.Handle((parse, context) =>
        {
            var result = context.Operators.RotateMasterKey(parse.GetValue(BatchOption));
            context.Output.Result(ResultDocuments.Rotation(result, null), () =>
            [
                Text(result),
                $"Now replace the master key ({result.FromVersion}) with the new one ({result.ToVersion}) where IntelliFace reads it, then destroy the old key.",
            ]);
            return 0;
        }, needsPack: false, nextMasterKeyFile: parse => Path.GetFullPath(parse.GetRequiredValue(NewKeyFileOption))));

        var rotate = new Command("rotate", "Rotate keys (operators). A rotation cut short is finished by running it again.") { tenant, master };
        return new Command("keys", "The key hierarchy.") { rotate };
    }

    private static string Text(RotationResult result) =>
        $"{result.FromVersion} -> {result.ToVersion}, {result.Rewrapped} key(s) re-wrapped{(result.Resumed ? " (finished an interrupted rotation)" : "")}";
}
