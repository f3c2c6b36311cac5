using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IntelliFace.Recognition;
using IntelliFace.Tenancy;

namespace IntelliFace.Cli;

/// <summary><c>tenants</c>, <c>apikeys</c> and <c>operators</c>: the operator's verbs. None reads tenant data.</summary>
internal static class TenancyCommands
{
    private static readonly Argument<string> TenantArgument = new("TENANT") { Description = "Tenant id." };
    private static readonly Argument<string> KeyIdArgument = new("KEY_ID") { Description = "The key id (the 12 hex digits after ifk_)." };
    private static readonly Argument<string> OperatorArgument = new("NAME") { Description = "Operator name." };
    private static readonly Option<bool> ConsentRequiredOption = new("--consent-required") { Description = "Enroll a subject only after its consent is recorded." };
    private static readonly Option<int?> RetentionOption = new("--retention-days") { Description = "Erase templates unused for this many days (retention run)." };
    private static readonly Option<string> ScopesOption = new("--scopes")
    {
        Description = "Comma-separated: enroll, recognise, manage_subjects, read_audit.",
        Required = true,
    };

    public static Command Tenants()
    {
        var create = new Command("create", "Create a tenant (and its data key).") { TenantArgument, ConsentRequiredOption, RetentionOption };
        create.SetAction(Handle((parse, context) =>
        {
            var tenant = context.Operators.CreateTenant(Tenant(parse), parse.GetValue(ConsentRequiredOption), parse.GetValue(RetentionOption));
            context.Output.Result(ResultDocuments.Tenant(tenant), () => [$"created tenant {tenant.Id}"]);
            return 0;
        }));

        var list = new Command("list", "List the tenants with their status and policy.");
        list.SetAction(Handle((parse, context) =>
        {
            var tenants = context.Operators.ListTenants();
            context.Output.Result(
                ResultDocuments.Tenants(tenants),
                () => tenants.Select(t => $"{t.Id}\t{ResultDocuments.TenantStatusName(t.Status)}\tconsent {(t.ConsentRequired ? "required" : "not required")}\tretention {t.RetentionDays?.ToString(CultureInfo.InvariantCulture) ?? "none"}"));
            return 0;
        }));

        var suspend = new Command("suspend", "Refuse every request for the tenant's data until resumed; nothing is deleted.") { TenantArgument };
        suspend.SetAction(Handle((parse, context) => Done(context, "suspended", Tenant(parse), context.Operators.SuspendTenant)));
        var resume = new Command("resume", "Serve a suspended tenant again.") { TenantArgument };
        resume.SetAction(Handle((parse, context) => Done(context, "resumed", Tenant(parse), context.Operators.ResumeTenant)));
        var delete = new Command("delete", "Delete a tenant: crypto-shred all its keys, then purge its rows. Cannot be undone.") { TenantArgument };
        delete.SetAction(Handle((parse, context) => Done(context, "deleted", Tenant(parse), context.Operators.DeleteTenant)));

        return new Command("tenants", "Manage tenants (operators).") { create, list, suspend, resume, delete, GdprCommands.Policy() };
    }

    public static Command ApiKeys()
    {
        var create = new Command("create", "Create a tenant API key; it is printed once and only its hash is kept.") { CliApplication.TenantOption, ScopesOption };
        create.SetAction(Handle((parse, context) =>
        {
            var tenant = new TenantId(parse.GetRequiredValue(CliApplication.TenantOption));
            var scopes = ScopeNames.Parse(parse.GetRequiredValue(ScopesOption));
            using var token = context.Operators.CreateApiKey(tenant, scopes);
            var key = token.Reveal();
            context.Output.Result(
                ResultDocuments.NewApiKey(tenant, token, scopes),
                () => [key, $"(key {token.KeyId} for tenant {tenant}, scopes {ScopeNames.Format(scopes)}; shown only now)"]);
            return 0;
        }));

        var list = new Command("list", "List a tenant's API keys (never their secrets).") { CliApplication.TenantOption };
        list.SetAction(Handle((parse, context) =>
        {
            var keys = context.Operators.ListApiKeys(new TenantId(parse.GetRequiredValue(CliApplication.TenantOption)));
            context.Output.Result(
                ResultDocuments.ApiKeys(keys),
                () => keys.Select(k => $"{k.KeyId}\t{ScopeNames.Format(k.Scopes)}\t{(k.RevokedUtc is null ? "active" : "revoked")}"));
            return 0;
        }));

        var revoke = new Command("revoke", "Revoke an API key (tenant or operator) at once.") { KeyIdArgument };
        revoke.SetAction(Handle((parse, context) =>
        {
            var keyId = parse.GetRequiredValue(KeyIdArgument);
            context.Operators.RevokeApiKey(keyId);
            context.Output.Result(ResultDocuments.Done("revoked", keyId), () => [$"revoked {keyId}"]);
            return 0;
        }));

        return new Command("apikeys", "Manage tenant API keys (operators).") { create, list, revoke };
    }

    public static Command Operators()
    {
        var add = new Command("add", "Add an operator and print its key once (local administrator only).") { OperatorArgument };
        add.SetAction(Handle((parse, context) =>
        {
            var name = new OperatorName(parse.GetRequiredValue(OperatorArgument));
            using var token = context.Operators.AddOperator(name);
            var key = token.Reveal();
            context.Output.Result(
                new JsonObject { ["operator"] = name.Value, ["key_id"] = token.KeyId, ["api_key"] = key },
                () => [key, $"(operator {name}, key {token.KeyId}; shown only now)"]);
            return 0;
        }));

        var list = new Command("list", "List the operators' keys.");
        list.SetAction(Handle((parse, context) =>
        {
            var keys = context.Operators.ListOperators();
            context.Output.Result(
                new JsonObject { ["operators"] = new JsonArray(keys.Select(k => (JsonNode)ResultDocuments.ApiKey(k)).ToArray()) },
                () => keys.Select(k => $"{k.OperatorName}\t{k.KeyId}\t{(k.RevokedUtc is null ? "active" : "revoked")}"));
            return 0;
        }));

        return new Command("operators", "Manage operators, who run the service without access to tenant data.") { add, list };
    }

    private static Func<ParseResult, int> Handle(Func<ParseResult, CliContext, int> action) => CliApplication.Handle(action, needsPack: false);

    private static TenantId Tenant(ParseResult parse) => new(parse.GetRequiredValue(TenantArgument));

    private static int Done(CliContext context, string what, TenantId tenant, Action<TenantId> action)
    {
        action(tenant);
        context.Output.Result(ResultDocuments.Done(what, tenant.Value), () => [$"{what} {tenant}"]);
        return 0;
    }
}
