using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IntelliFace.Recognition;
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
                ResultDocuments.AuditVerification(result),
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
            var lines = entries.Select(entry => ResultDocuments.AuditEntry(entry).ToJsonString()).ToArray();
            context.Output.Result(ResultDocuments.AuditTrail(tenant, entries), () => lines);
            return 0;
        }, needsPack: false));

        return new Command("audit", "The tamper-evident audit log.") { verify, export };
    }
}
