using System.Text.Json.Nodes;
using IntelliFace.Recognition;
using IntelliFace.Server.Authentication;
using IntelliFace.Server.Hosting;
using IntelliFace.Server.Photos;
using IntelliFace.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace IntelliFace.Server.Endpoints;

/// <summary>The tenant API (<c>/v1</c>): a tenant key acts for its own tenant, which is never named in a path.</summary>
internal static class TenantEndpoints
{
    private static readonly string[] ComparedPhotos = ["a", "b"];

    public static void Map(IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("tenant");
        v1.MapPost("/subjects/{subject}/templates", Enroll).WithName("enroll");
        v1.MapPost("/subjects/{subject}/verify", Verify).WithName("verify");
        v1.MapPost("/identify", Identify).WithName("identify");
        v1.MapPost("/compare", Compare).WithName("compare");
        v1.MapGet("/subjects", ListSubjects).WithName("listSubjects");
        v1.MapGet("/subjects/{subject}", GetSubject).WithName("getSubject");
        v1.MapDelete("/subjects/{subject}", EraseSubject).WithName("eraseSubject");
        v1.MapGet("/subjects/{subject}/templates", ListTemplates).WithName("listTemplates");
        v1.MapPut("/subjects/{subject}/consent", RecordConsent).WithName("recordConsent");
        v1.MapGet("/subjects/{subject}/export", ExportSubject).WithName("exportSubject");
        v1.MapGet("/audit", ExportAudit).WithName("exportAudit");
    }

    private static async Task<Created<JsonObject>> Enroll(string subject, HttpContext context, ApplicationServices services)
    {
        var id = new SubjectId(subject);
        var (caller, tenant) = TenantOf(context);
        using var photo = await PhotoRequest.ReadOneAsync(context.Request);
        var result = await services.RecogniseAsync(() => services.Recognition(caller).Enroll(tenant, id, photo.Span), context.RequestAborted);
        return TypedResults.Created($"/v1/subjects/{Uri.EscapeDataString(id.Value)}/templates/{result.Template.Value}", ResultDocuments.Enroll(tenant, result));
    }

    private static async Task<Ok<JsonObject>> Verify(string subject, HttpContext context, ApplicationServices services)
    {
        var id = new SubjectId(subject);
        var (caller, tenant) = TenantOf(context);
        using var photo = await PhotoRequest.ReadOneAsync(context.Request);
        var result = await services.RecogniseAsync(() => services.Recognition(caller).Verify(tenant, id, photo.Span), context.RequestAborted);
        return TypedResults.Ok(ResultDocuments.Verify(id, result));
    }

    private static async Task<Ok<JsonObject>> Identify(HttpContext context, ApplicationServices services)
    {
        var (caller, tenant) = TenantOf(context);
        var top = QueryValues.Int(context.Request, "top", 5, 1, 100);
        var threshold = QueryValues.Double(context.Request, "threshold");
        using var photo = await PhotoRequest.ReadOneAsync(context.Request);
        var result = await services.RecogniseAsync(() => services.Recognition(caller).Identify(tenant, photo.Span, top, threshold), context.RequestAborted);
        return TypedResults.Ok(ResultDocuments.Identify(result));
    }

    private static async Task<Ok<JsonObject>> Compare(HttpContext context, ApplicationServices services)
    {
        TenantOf(context, Scopes.Recognise);
        var photos = await PhotoRequest.ReadAsync(context.Request, ComparedPhotos);
        try
        {
            var result = await services.RecogniseAsync(() => services.Pipeline.Compare(photos[0].Span, photos[1].Span), context.RequestAborted);
            return TypedResults.Ok(ResultDocuments.Compare(result));
        }
        finally
        {
            foreach (var photo in photos) photo.Dispose();
        }
    }

    private static Ok<JsonObject> ListSubjects(HttpContext context, ApplicationServices services)
    {
        var (caller, tenant) = TenantOf(context);
        return TypedResults.Ok(ResultDocuments.Subjects(tenant, services.Data(caller).ListSubjects(tenant)));
    }

    private static Ok<JsonObject> GetSubject(string subject, HttpContext context, ApplicationServices services)
    {
        var id = new SubjectId(subject);
        var (caller, tenant) = TenantOf(context);
        return TypedResults.Ok(ResultDocuments.Subject(services.Data(caller).GetSubject(tenant, id)));
    }

    private static NoContent EraseSubject(string subject, HttpContext context, ApplicationServices services)
    {
        var id = new SubjectId(subject);
        var (caller, tenant) = TenantOf(context);
        services.Data(caller).EraseSubject(tenant, id);
        return TypedResults.NoContent();
    }

    private static Ok<JsonObject> ListTemplates(string subject, HttpContext context, ApplicationServices services)
    {
        var id = new SubjectId(subject);
        var (caller, tenant) = TenantOf(context);
        return TypedResults.Ok(ResultDocuments.Templates(id, services.Data(caller).ListTemplates(tenant, id)));
    }

    private static Ok<JsonObject> RecordConsent(string subject, ConsentRequest body, HttpContext context, ApplicationServices services)
    {
        var id = new SubjectId(subject);
        var (caller, tenant) = TenantOf(context);
        return TypedResults.Ok(ResultDocuments.Consent(services.Data(caller).RecordConsent(tenant, id, body.Basis, body.Notice, body.GivenUtc)));
    }

    private static Ok<JsonObject> ExportSubject(string subject, HttpContext context, ApplicationServices services)
    {
        var id = new SubjectId(subject);
        var (caller, tenant) = TenantOf(context);
        var recipientKey = QueryValues.Single(context.Request, "recipient_key");
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(ResultDocuments.SubjectExport(services.Data(caller).ExportSubject(tenant, id, recipientKey)));
    }

    private static Ok<JsonObject> ExportAudit(HttpContext context, ApplicationServices services)
    {
        var (caller, tenant) = TenantOf(context);
        var after = QueryValues.Long(context.Request, "after", 0, 0);
        return TypedResults.Ok(ResultDocuments.AuditTrail(tenant, services.Data(caller).ExportAudit(tenant, after)));
    }

    /// <summary>The caller and its tenant. With <paramref name="scope"/>, refuses a key without it (operations the
    /// application layer does not check, such as compare, which touches no tenant data).</summary>
    private static (Caller Caller, TenantId Tenant) TenantOf(HttpContext context, Scopes scope = Scopes.None)
    {
        var caller = context.Caller();
        if (scope != Scopes.None && !caller.Scopes.HasFlag(scope))
            throw new FaceException(FaceErrorCode.Forbidden, $"This API key lacks the scope '{ScopeNames.Format(scope)}'.");
        return (caller, caller.Tenant!.Value);
    }
}

/// <summary>The body of <c>PUT /v1/subjects/{subject}/consent</c>.</summary>
/// <param name="Basis">The lawful basis, for example <c>explicit_consent</c>.</param>
/// <param name="Notice">The version of the privacy notice the subject was shown.</param>
/// <param name="GivenUtc">When consent was given; now when omitted.</param>
internal sealed record ConsentRequest(string Basis, string Notice, DateTimeOffset? GivenUtc = null);
