using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IntelliFace.Audit;
using IntelliFace.Tenancy;

namespace IntelliFace.Cli;

/// <summary><c>audit verify</c> and <c>audit export</c>.</summary>
internal static class AuditCommands
{
    private static readonly Option<long> AfterOption = new("--after") { Description = "Only entries after this sequence number.", DefaultValueFactory = _ => 0 };

    public static Command Create()
    {
        var verify = new Command("verify", "Check the whole audit chain; names the first entry that was altered, removed or reordered.");
        verify.SetAction(CliApplication.Handle((parse, context) =>
        {
            var result = context.Operators.VerifyAudit();
            context.Output.Result(
                new JsonObject
                {
                    ["intact"] = result.Intact,
                    ["entries"] = result.EntriesChecked,
                    ["first_bad_entry"] = result.FirstBadSequence,
                    ["problem"] = result.Problem,
                },
                () => [result.Intact
                    ? $"audit chain intact: {result.EntriesChecked} entries"
                    : $"audit chain broken at entry {result.FirstBadSequence}: {result.Problem}"]);
            return result.Intact ? 0 : CliApplication.Refused;
        }, needsPack: false));

        var export = new Command("export", "Print a tenant's audit trail as JSON lines (one entry per line, oldest first).") { CliApplication.TenantOption, AfterOption };
        export.SetAction(CliApplication.Handle((parse, context) =>
        {
            var tenant = new TenantId(parse.GetRequiredValue(CliApplication.TenantOption));
            var entries = context.Data.ExportAudit(tenant, parse.GetValue(AfterOption));
            var lines = entries.Select(entry => Json(entry).ToJsonString()).ToArray();
            context.Output.Result(
                new JsonObject { ["tenant"] = tenant.Value, ["entries"] = new JsonArray(entries.Select(e => (JsonNode)Json(e)).ToArray()) },
                () => lines);
            return 0;
        }, needsPack: false));

        return new Command("audit", "The tamper-evident audit log.") { verify, export };
    }

    internal static JsonObject Json(AuditEntry entry)
    {
        var details = new JsonObject();
        foreach (var (name, value) in entry.Record.Details.OrderBy(d => d.Key, StringComparer.Ordinal)) details[name] = value;
        return new JsonObject
        {
            ["seq"] = entry.Sequence,
            ["at_utc"] = entry.AtUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["actor"] = entry.Record.Actor,
            ["action"] = entry.Record.Action,
            ["tenant"] = entry.Record.Tenant?.Value,
            ["subject"] = entry.Record.Subject?.Value,
            ["outcome"] = entry.Record.Outcome,
            ["details"] = details,
            ["hash"] = Convert.ToHexStringLower(entry.Hash),
            ["mac"] = Convert.ToHexStringLower(entry.Mac),
        };
    }
}
