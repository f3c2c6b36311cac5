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
        v1.MapPost("/subjects/{subject}/templates", Enroll).WithName("enroll").WithMetadata(PhotoUpload.One)
            .WithSummary("Enroll a photo with exactly one face as a new template of the subject (scope enroll).");
        v1.MapPost("/subjects/{subject}/verify", Verify).WithName("verify").WithMetadata(PhotoUpload.One)
            .WithSummary("1:1: does the photo's largest face show the subject? (scope recognise)");
        v1.MapPost("/identify", Identify).WithName("identify").WithMetadata(PhotoUpload.One)
            .WithSummary("1:N: the subjects at or above the threshold, best first, or no match (scope recognise; ?top=1..100, ?threshold= stricter only).");
        v1.MapPost("/compare", Compare).WithName("compare").WithMetadata(new PhotoUpload(ComparedPhotos))
            .WithSummary("Are the largest faces of photos a and b the same person? Nothing is stored (scope recognise).");
        v1.MapGet("/subjects", ListSubjects).WithName("listSubjects").WithSummary("The tenant's subjects (scope manage_subjects).");
        v1.MapGet("/subjects/{subject}", GetSubject).WithName("getSubject").WithSummary("One subject: templates, packs, creation time (scope manage_subjects).");
        v1.MapDelete("/subjects/{subject}", EraseSubject).WithName("eraseSubject")
            .WithSummary("Erase the subject: its key is destroyed, then its templates, consent and rows (scope manage_subjects).");
        v1.MapGet("/subjects/{subject}/templates", ListTemplates).WithName("listTemplates")
            .WithSummary("The subject's templates, metadata only: never an embedding (scope manage_subjects).");
        v1.MapPut("/subjects/{subject}/consent", RecordConsent).WithName("recordConsent")
            .WithSummary("Record the subject's consent: lawful basis, notice version, time (scope manage_subjects).");
        v1.MapGet("/subjects/{subject}/export", ExportSubject).WithName("exportSubject")
            .WithSummary("GDPR access/portability export; templates only sealed to ?recipient_key= (PEM RSA public key) (scope manage_subjects).");
        v1.MapGet("/audit", ExportAudit).WithName("exportAudit").WithSummary("The tenant's audit trail after ?after=SEQ (scope read_audit).");
    }

    private static async Task<Created<JsonObject>> Enroll(string subject, HttpContext context, ApplicationServices services)
    {
        var id = new SubjectId(subject);
        var (caller, tenant) = TenantOf(context);
        using var photo = await PhotoRequest.ReadOneAsync(context.Request);
        using var slot = await services.PipelineSlots.EnterAsync(context.RequestAborted);
        var result = services.Recognition(caller).Enroll(tenant, id, photo.Span);
        return TypedResults.Created($"/v1/subjects/{Uri.EscapeDataString(id.Value)}/templates/{result.Template.Value}", ResultDocuments.Enroll(tenant, result));
    }

    private static async Task<Ok<JsonObject>> Verify(string subject, HttpContext context, ApplicationServices services)
    {
        var id = new SubjectId(subject);
        var (caller, tenant) = TenantOf(context);
        using var photo = await PhotoRequest.ReadOneAsync(context.Request);
        using var slot = await services.PipelineSlots.EnterAsync(context.RequestAborted);
        return TypedResults.Ok(ResultDocuments.Verify(id, services.Recognition(caller).Verify(tenant, id, photo.Span)));
    }

    private static async Task<Ok<JsonObject>> Identify(HttpContext context, ApplicationServices services)
    {
        var (caller, tenant) = TenantOf(context);
        var top = QueryValues.Int(context.Request, "top", 5, 1, 100);
        var threshold = QueryValues.Double(context.Request, "threshold");
        using var photo = await PhotoRequest.ReadOneAsync(context.Request);
        using var slot = await services.PipelineSlots.EnterAsync(context.RequestAborted);
        return TypedResults.Ok(ResultDocuments.Identify(services.Recognition(caller).Identify(tenant, photo.Span, top, threshold)));
    }

    private static async Task<Ok<JsonObject>> Compare(HttpContext context, ApplicationServices services)
    {
        TenantOf(context, Scopes.Recognise);
        var photos = await PhotoRequest.ReadAsync(context.Request, ComparedPhotos);
        try
        {
            using var slot = await services.PipelineSlots.EnterAsync(context.RequestAborted);
            return TypedResults.Ok(ResultDocuments.Compare(services.Pipeline.Compare(photos[0].Span, photos[1].Span)));
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
