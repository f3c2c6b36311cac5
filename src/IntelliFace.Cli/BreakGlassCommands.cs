using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IntelliFace.Tenancy;

namespace IntelliFace.Cli;

/// <summary><c>breakglass request|approve|use|revoke|list</c>: audited, approved, time-limited operator reads of one tenant.</summary>
internal static class BreakGlassCommands
{
    private static readonly Argument<string> GrantArgument = new("GRANT") { Description = "The grant id." };
    private static readonly Option<string> ReasonOption = new("--reason") { Description = "Why access is needed.", Required = true };
    private static readonly Option<string> TicketOption = new("--ticket") { Description = "The incident or support ticket reference.", Required = true };
    private static readonly Option<string> OperationsOption = new("--operations")
    {
        Description = $"Comma-separated read operations: {string.Join(", ", BreakGlassPolicy.ReadOperations)}.",
        Required = true,
    };
    private static readonly Option<int> MinutesOption = new("--minutes")
    {
        Description = $"How long the grant lasts once approved (at most {BreakGlassPolicy.Ceiling}, or ${BreakGlassPolicy.MaxMinutesVariable}).",
        DefaultValueFactory = _ => 30,
    };
    private static readonly Option<string> OperationOption = new("--operation") { Description = "The read operation to run.", Required = true };
    private static readonly Option<string?> SubjectOption = new("--subject") { Description = "The subject, for subject.export." };
    private static readonly Option<string?> OptionalTenantOption = new("--tenant") { Description = "Only this tenant's grants." };

    public static Command Create()
    {
        var request = new Command("request", "Ask for read access to one tenant; another operator must approve.")
        {
            CliApplication.TenantOption, ReasonOption, TicketOption, OperationsOption, MinutesOption,
        };
        request.SetAction(Handle((parse, context) =>
        {
            var grant = context.Operators.RequestBreakGlass(
                new TenantId(parse.GetRequiredValue(CliApplication.TenantOption)), parse.GetRequiredValue(ReasonOption), parse.GetRequiredValue(TicketOption),
                parse.GetRequiredValue(OperationsOption).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), parse.GetValue(MinutesOption));
            context.Output.Result(Json(grant), () => [$"grant {grant.Id} requested; another operator approves it with: intelliface breakglass approve {grant.Id}"]);
            return 0;
        }));

        var approve = new Command("approve", "Approve another operator's request; it runs from now for its minutes.") { GrantArgument };
        approve.SetAction(Handle((parse, context) =>
        {
            var grant = context.Operators.ApproveBreakGlass(parse.GetRequiredValue(GrantArgument));
            context.Output.Result(Json(grant), () => [$"grant {grant.Id} approved until {Time(grant.ExpiresUtc)}"]);
            return 0;
        }));

        var revoke = new Command("revoke", "End a grant at once.") { GrantArgument };
        revoke.SetAction(Handle((parse, context) =>
        {
            var id = parse.GetRequiredValue(GrantArgument);
            context.Operators.RevokeBreakGlass(id);
            context.Output.Result(new JsonObject { ["revoked"] = id }, () => [$"revoked grant {id}"]);
            return 0;
        }));

        var list = new Command("list", "List break-glass grants.") { OptionalTenantOption };
        list.SetAction(Handle((parse, context) =>
        {
            var grants = context.Operators.ListBreakGlass(parse.GetValue(OptionalTenantOption) is { } t ? new TenantId(t) : null);
            context.Output.Result(
                new JsonObject { ["grants"] = new JsonArray(grants.Select(g => (JsonNode)Json(g)).ToArray()) },
                () => grants.Select(g => $"{g.Id}\t{g.Tenant}\t{g.RequestedBy}\t{string.Join(",", g.Operations)}\t{(g.ApprovedBy is null ? "pending" : $"approved by {g.ApprovedBy} until {Time(g.ExpiresUtc)}")}{(g.RevokedUtc is null ? "" : ", revoked")}"));
            return 0;
        }));

        var use = new Command("use", "Run one read operation named in an approved grant; audited and visible to the tenant.")
        {
            GrantArgument, CliApplication.TenantOption, OperationOption, SubjectOption,
        };
        use.SetAction(Handle((parse, context) =>
        {
            var caller = context.Caller.UnderGrant(parse.GetRequiredValue(GrantArgument));
            var tenant = new TenantId(parse.GetRequiredValue(CliApplication.TenantOption));
            var data = new Recognition.TenantDataService(context.Vault, caller);
            switch (parse.GetRequiredValue(OperationOption))
            {
                case "subjects.list":
                    var subjects = data.ListSubjects(tenant);
                    context.Output.Result(
                        new JsonObject { ["tenant"] = tenant.Value, ["subjects"] = new JsonArray(subjects.Select(s => (JsonNode)JsonValue.Create(s.Subject.Value)).ToArray()) },
                        () => subjects.Select(s => $"{s.Subject}\t{s.TemplateCount} template(s)"));
                    return 0;
                case "audit.export":
                    var entries = data.ExportAudit(tenant);
                    context.Output.Result(
                        new JsonObject { ["tenant"] = tenant.Value, ["entries"] = new JsonArray(entries.Select(e => (JsonNode)AuditCommands.Json(e)).ToArray()) },
                        () => entries.Select(e => AuditCommands.Json(e).ToJsonString()));
                    return 0;
                case "subject.export":
                    var subject = new SubjectId(parse.GetValue(SubjectOption) ?? throw CliApplication.Invalid("subject.export needs --subject."));
                    var record = GdprCommands.Json(data.ExportSubject(tenant, subject));
                    context.Output.Result(record, () => [record.ToJsonString()]);
                    return 0;
                default:
                    throw CliApplication.Invalid($"breakglass use runs one of: {string.Join(", ", BreakGlassPolicy.ReadOperations)}.");
            }
        }));

        return new Command("breakglass", "Time-limited, approved, audited operator access to one tenant's data.") { request, approve, use, revoke, list };
    }

    private static Func<ParseResult, int> Handle(Func<ParseResult, CliContext, int> action) => CliApplication.Handle(action, needsPack: false);

    private static string? Time(DateTimeOffset? value) => value?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Json(BreakGlassGrant grant) => new()
    {
        ["grant"] = grant.Id,
        ["tenant"] = grant.Tenant.Value,
        ["requested_by"] = grant.RequestedBy.Value,
        ["reason"] = grant.Reason,
        ["ticket"] = grant.Ticket,
        ["operations"] = new JsonArray(grant.Operations.Select(o => (JsonNode)JsonValue.Create(o)).ToArray()),
        ["minutes"] = grant.Minutes,
        ["approved_by"] = grant.ApprovedBy?.Value,
        ["expires_utc"] = Time(grant.ExpiresUtc),
        ["revoked_utc"] = Time(grant.RevokedUtc),
    };
}
