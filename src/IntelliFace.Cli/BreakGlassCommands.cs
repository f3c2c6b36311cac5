using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IntelliFace.Recognition;
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
            context.Output.Result(ResultDocuments.Grant(grant), () => [$"grant {grant.Id} requested; another operator approves it with: intelliface breakglass approve {grant.Id}"]);
            return 0;
        }));

        var approve = new Command("approve", "Approve another operator's request; it runs from now for its minutes.") { GrantArgument };
        approve.SetAction(Handle((parse, context) =>
        {
            var grant = context.Operators.ApproveBreakGlass(parse.GetRequiredValue(GrantArgument));
            context.Output.Result(ResultDocuments.Grant(grant), () => [$"grant {grant.Id} approved until {ResultDocuments.Seconds(grant.ExpiresUtc)}"]);
            return 0;
        }));

        var revoke = new Command("revoke", "End a grant at once.") { GrantArgument };
        revoke.SetAction(Handle((parse, context) =>
        {
            var id = parse.GetRequiredValue(GrantArgument);
            context.Operators.RevokeBreakGlass(id);
            context.Output.Result(ResultDocuments.Done("revoked", id), () => [$"revoked grant {id}"]);
            return 0;
        }));

        var list = new Command("list", "List break-glass grants.") { OptionalTenantOption };
        list.SetAction(Handle((parse, context) =>
        {
            var grants = context.Operators.ListBreakGlass(parse.GetValue(OptionalTenantOption) is { } t ? new TenantId(t) : null);
            context.Output.Result(
                ResultDocuments.Grants(grants),
                () => grants.Select(g => $"{g.Id}\t{g.Tenant}\t{g.RequestedBy}\t{string.Join(",", g.Operations)}\t{(g.ApprovedBy is null ? "pending" : $"approved by {g.ApprovedBy} until {ResultDocuments.Seconds(g.ExpiresUtc)}")}{(g.RevokedUtc is null ? "" : ", revoked")}"));
            return 0;
        }));

        var use = new Command("use", "Run one read operation named in an approved grant; audited and visible to the tenant.")
        {
            GrantArgument, CliApplication.TenantOption, OperationOption, SubjectOption,
        };
        use.SetAction(Handle((parse, context) =>
        {
            var tenant = new TenantId(parse.GetRequiredValue(CliApplication.TenantOption));
            var subject = parse.GetValue(SubjectOption) is { } subjectText ? new SubjectId(subjectText) : (SubjectId?)null;
            var read = context.Operators.UseBreakGlass(parse.GetRequiredValue(GrantArgument), tenant, parse.GetRequiredValue(OperationOption), subject);
            var document = ResultDocuments.BreakGlassRead(read);
            context.Output.Result(document, () => read switch
            {
                { Subjects: { } subjects } => subjects.Select(s => $"{s.Subject}\t{s.TemplateCount} template(s)"),
                { AuditEntries: { } entries } => entries.Select(e => ResultDocuments.AuditEntry(e).ToJsonString()),
                _ => [document.ToJsonString()],
            });
            return 0;
        }));

        return new Command("breakglass", "Time-limited, approved, audited operator access to one tenant's data.") { request, approve, use, revoke, list };
    }

    private static Func<ParseResult, int> Handle(Func<ParseResult, CliContext, int> action) => CliApplication.Handle(action, needsPack: false);
}
