using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IntelliFace.Recognition;
using IntelliFace.Tenancy;

namespace IntelliFace.Cli;

/// <summary>Data-protection duties: <c>consent record</c>, <c>subjects export</c>, <c>tenants policy</c>, <c>retention run</c>.</summary>
internal static class GdprCommands
{
    private static readonly Option<string> SubjectOption = new("--subject") { Description = "Subject id within the tenant.", Required = true };
    private static readonly Option<string> BasisOption = new("--basis")
    {
        Description = $"Lawful basis (GDPR Art. 9(2)): {string.Join(", ", LawfulBasis.Names)}.",
        Required = true,
    };
    private static readonly Option<string> NoticeOption = new("--notice") { Description = "Version of the privacy notice the subject was shown.", Required = true };
    private static readonly Option<DateTimeOffset?> GivenOption = new("--given") { Description = "When consent was given (ISO 8601; default now)." };
    private static readonly Option<string?> RecipientKeyOption = new("--recipient-key")
    {
        Description = "PEM file with the tenant's RSA public key: include the templates, sealed for it (tenant API key only).",
    };
    private static readonly Argument<string> TenantArgument = new("TENANT") { Description = "Tenant id." };
    private static readonly Option<bool> ConsentRequiredOption = new("--consent-required") { Description = "Enroll a subject only after its consent is recorded." };
    private static readonly Option<int?> RetentionOption = new("--retention-days") { Description = "Erase templates unused for this many days (omit to keep them)." };

    public static Command Consent()
    {
        var record = new Command("record", "Record a subject's consent (replaces an earlier record).")
        {
            CliApplication.TenantOption, SubjectOption, BasisOption, NoticeOption, GivenOption,
        };
        record.SetAction(Handle((parse, context) =>
        {
            var consent = context.Data.RecordConsent(new TenantId(parse.GetRequiredValue(CliApplication.TenantOption)), new SubjectId(parse.GetRequiredValue(SubjectOption)),
                parse.GetRequiredValue(BasisOption), parse.GetRequiredValue(NoticeOption), parse.GetValue(GivenOption));
            context.Output.Result(ResultDocuments.Consent(consent), () => [$"recorded consent of {consent.Subject} ({consent.LawfulBasis}, notice {consent.NoticeVersion})"]);
            return 0;
        }));
        return new Command("consent", "Consent records (GDPR).") { record };
    }

    public static Command ExportSubject()
    {
        var export = new Command("export", "Print a subject's record as JSON: metadata, packs, dates, consent, audit entries; templates only sealed for the tenant.")
        {
            CliApplication.TenantOption, SubjectOption, RecipientKeyOption,
        };
        export.SetAction(Handle((parse, context) =>
        {
            var recipient = parse.GetValue(RecipientKeyOption) is { } file ? File.ReadAllText(file) : null;
            var record = context.Data.ExportSubject(new TenantId(parse.GetRequiredValue(CliApplication.TenantOption)), new SubjectId(parse.GetRequiredValue(SubjectOption)), recipient);
            var json = ResultDocuments.SubjectExport(record);
            context.Output.Result(json, () => [json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true })]);
            return 0;
        }));
        return export;
    }

    public static Command Policy()
    {
        var policy = new Command("policy", "Set a tenant's data policy: consent requirement and retention.") { TenantArgument, ConsentRequiredOption, RetentionOption };
        policy.SetAction(Handle((parse, context) =>
        {
            var tenant = context.Operators.SetTenantPolicy(new TenantId(parse.GetRequiredValue(TenantArgument)), parse.GetValue(ConsentRequiredOption), parse.GetValue(RetentionOption));
            context.Output.Result(ResultDocuments.TenantPolicy(tenant),
                () => [$"{tenant.Id}: consent {(tenant.ConsentRequired ? "required" : "not required")}, retention {tenant.RetentionDays?.ToString(CultureInfo.InvariantCulture) ?? "none"}"]);
            return 0;
        }));
        return policy;
    }

    public static Command Retention()
    {
        var run = new Command("run", "Erase templates unused for longer than each tenant's retention days (a subject with none left is erased whole).");
        run.SetAction(Handle((parse, context) =>
        {
            var results = context.Operators.RunRetention();
            context.Output.Result(
                ResultDocuments.Retention(results),
                () => results.Count == 0 ? ["nothing to erase"] : results.Select(r => $"{r.Tenant}: {r.TemplatesErased} template(s), {r.SubjectsErased} subject(s) erased"));
            return 0;
        }));
        return new Command("retention", "Retention policy (operators).") { run };
    }

    private static Func<ParseResult, int> Handle(Func<ParseResult, CliContext, int> action) => CliApplication.Handle(action, needsPack: false);
}
