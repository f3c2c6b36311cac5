using System.Text.Json.Nodes;
using IntelliFace.Recognition;
using IntelliFace.Server.Authentication;
using IntelliFace.Server.Hosting;
using IntelliFace.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace IntelliFace.Server.Endpoints;

/// <summary>
/// The operator API (<c>/ops/v1</c>, operator keys): tenants, API keys, key rotation, retention, the audit chain and
/// break-glass grants. Adding operators and rotating the master key stay with the local administrator (CLI).
/// </summary>
internal static class OperatorEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var ops = app.MapGroup("/ops/v1").WithTags("operator");
        ops.MapGet("/tenants", ListTenants).WithName("listTenants");
        ops.MapPost("/tenants", CreateTenant).WithName("createTenant");
        ops.MapPut("/tenants/{tenant}/policy", SetPolicy).WithName("setTenantPolicy");
        ops.MapPost("/tenants/{tenant}/suspend", Suspend).WithName("suspendTenant");
        ops.MapPost("/tenants/{tenant}/resume", Resume).WithName("resumeTenant");
        ops.MapDelete("/tenants/{tenant}", DeleteTenant).WithName("deleteTenant");
        ops.MapPost("/tenants/{tenant}/apikeys", CreateApiKey).WithName("createApiKey");
        ops.MapGet("/tenants/{tenant}/apikeys", ListApiKeys).WithName("listApiKeys");
        ops.MapDelete("/apikeys/{keyId}", RevokeApiKey).WithName("revokeApiKey");
        ops.MapPost("/tenants/{tenant}/keys/rotate", RotateTenantKey).WithName("rotateTenantKey");
        ops.MapPost("/retention/run", RunRetention).WithName("runRetention");
        ops.MapGet("/audit/verify", VerifyAudit).WithName("verifyAudit");
        ops.MapPost("/breakglass", RequestBreakGlass).WithName("requestBreakGlass");
        ops.MapPost("/breakglass/{grant}/approve", ApproveBreakGlass).WithName("approveBreakGlass");
        ops.MapPost("/breakglass/{grant}/revoke", RevokeBreakGlass).WithName("revokeBreakGlass");
        ops.MapGet("/breakglass", ListBreakGlass).WithName("listBreakGlass");
        ops.MapPost("/breakglass/{grant}/use", UseBreakGlass).WithName("useBreakGlass");
    }

    private static Ok<JsonObject> ListTenants(HttpContext context, ApplicationServices services) =>
        TypedResults.Ok(ResultDocuments.Tenants(services.Operators(context.Caller()).ListTenants()));

    private static Created<JsonObject> CreateTenant(CreateTenantRequest body, HttpContext context, ApplicationServices services)
    {
        var tenant = services.Operators(context.Caller()).CreateTenant(new TenantId(body.Tenant), body.ConsentRequired, body.RetentionDays);
        return TypedResults.Created($"/ops/v1/tenants/{tenant.Id.Value}", ResultDocuments.Tenant(tenant));
    }

    private static Ok<JsonObject> SetPolicy(string tenant, TenantPolicyRequest body, HttpContext context, ApplicationServices services) =>
        TypedResults.Ok(ResultDocuments.TenantPolicy(services.Operators(context.Caller()).SetTenantPolicy(new TenantId(tenant), body.ConsentRequired, body.RetentionDays)));

    private static Ok<JsonObject> Suspend(string tenant, HttpContext context, ApplicationServices services)
    {
        var id = new TenantId(tenant);
        services.Operators(context.Caller()).SuspendTenant(id);
        return TypedResults.Ok(ResultDocuments.Done("suspended", id.Value));
    }

    private static Ok<JsonObject> Resume(string tenant, HttpContext context, ApplicationServices services)
    {
        var id = new TenantId(tenant);
        services.Operators(context.Caller()).ResumeTenant(id);
        return TypedResults.Ok(ResultDocuments.Done("resumed", id.Value));
    }

    private static NoContent DeleteTenant(string tenant, HttpContext context, ApplicationServices services)
    {
        services.Operators(context.Caller()).DeleteTenant(new TenantId(tenant));
        return TypedResults.NoContent();
    }

    private static Created<JsonObject> CreateApiKey(string tenant, CreateApiKeyRequest body, HttpContext context, ApplicationServices services)
    {
        var id = new TenantId(tenant);
        var scopes = ScopeNames.Parse(string.Join(",", body.Scopes));
        using var token = services.Operators(context.Caller()).CreateApiKey(id, scopes);
        return TypedResults.Created($"/ops/v1/tenants/{id.Value}/apikeys", ResultDocuments.NewApiKey(id, token, scopes));
    }

    private static Ok<JsonObject> ListApiKeys(string tenant, HttpContext context, ApplicationServices services) =>
        TypedResults.Ok(ResultDocuments.ApiKeys(services.Operators(context.Caller()).ListApiKeys(new TenantId(tenant))));

    private static NoContent RevokeApiKey(string keyId, HttpContext context, ApplicationServices services)
    {
        services.Operators(context.Caller()).RevokeApiKey(keyId);
        return TypedResults.NoContent();
    }

    private static Ok<JsonObject> RotateTenantKey(string tenant, HttpContext context, ApplicationServices services)
    {
        var id = new TenantId(tenant);
        return TypedResults.Ok(ResultDocuments.Rotation(services.Operators(context.Caller()).RotateTenantKey(id), id));
    }

    private static Ok<JsonObject> RunRetention(HttpContext context, ApplicationServices services) =>
        TypedResults.Ok(ResultDocuments.Retention(services.Operators(context.Caller()).RunRetention()));

    private static Ok<JsonObject> VerifyAudit(HttpContext context, ApplicationServices services) =>
        TypedResults.Ok(ResultDocuments.AuditVerification(services.Operators(context.Caller()).VerifyAudit()));

    private static Created<JsonObject> RequestBreakGlass(BreakGlassRequest body, HttpContext context, ApplicationServices services)
    {
        var grant = services.Operators(context.Caller()).RequestBreakGlass(new TenantId(body.Tenant), body.Reason, body.Ticket, body.Operations, body.Minutes);
        return TypedResults.Created($"/ops/v1/breakglass/{grant.Id}", ResultDocuments.Grant(grant));
    }

    private static Ok<JsonObject> ApproveBreakGlass(string grant, HttpContext context, ApplicationServices services) =>
        TypedResults.Ok(ResultDocuments.Grant(services.Operators(context.Caller()).ApproveBreakGlass(grant)));

    private static Ok<JsonObject> RevokeBreakGlass(string grant, HttpContext context, ApplicationServices services) =>
        TypedResults.Ok(ResultDocuments.Grant(services.Operators(context.Caller()).RevokeBreakGlass(grant)));

    private static Ok<JsonObject> ListBreakGlass(HttpContext context, ApplicationServices services)
    {
        var tenant = QueryValues.Single(context.Request, "tenant") is { Length: > 0 } text ? new TenantId(text) : (TenantId?)null;
        return TypedResults.Ok(ResultDocuments.Grants(services.Operators(context.Caller()).ListBreakGlass(tenant)));
    }

    private static Ok<JsonObject> UseBreakGlass(string grant, BreakGlassUseRequest body, HttpContext context, ApplicationServices services)
    {
        var subject = body.Subject is { } text ? new SubjectId(text) : (SubjectId?)null;
        var read = services.Operators(context.Caller()).UseBreakGlass(grant, new TenantId(body.Tenant), body.Operation, subject);
        return TypedResults.Ok(ResultDocuments.BreakGlassRead(read));
    }
}

/// <summary>The body of <c>POST /ops/v1/tenants</c>.</summary>
internal sealed record CreateTenantRequest(string Tenant, bool ConsentRequired = false, int? RetentionDays = null);

/// <summary>The body of <c>PUT /ops/v1/tenants/{tenant}/policy</c>; a null retention keeps templates until erased.</summary>
internal sealed record TenantPolicyRequest(bool ConsentRequired, int? RetentionDays);

/// <summary>The body of <c>POST /ops/v1/tenants/{tenant}/apikeys</c>: <c>enroll</c>, <c>recognise</c>, <c>manage_subjects</c>, <c>read_audit</c>.</summary>
internal sealed record CreateApiKeyRequest(IReadOnlyList<string> Scopes);

/// <summary>The body of <c>POST /ops/v1/breakglass</c>.</summary>
internal sealed record BreakGlassRequest(string Tenant, string Reason, string Ticket, IReadOnlyList<string> Operations, int Minutes = 30);

/// <summary>The body of <c>POST /ops/v1/breakglass/{grant}/use</c>; <see cref="Subject"/> for <c>subject.export</c>.</summary>
internal sealed record BreakGlassUseRequest(string Tenant, string Operation, string? Subject = null);
