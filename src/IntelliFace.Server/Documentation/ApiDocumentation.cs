using System.Text.Json.Nodes;
using IntelliFace.Server.Authentication;
using IntelliFace.Server.Errors;
using IntelliFace.Server.Photos;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace IntelliFace.Server.Documentation;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>, generated from the endpoints) and the interactive API page
/// (<c>/docs</c>, Swagger UI from assets embedded in the service: the page loads nothing from another origin).
/// What the generator cannot see is added here: the bearer scheme, the problem+json error shape, and the photo
/// encodings of the endpoints that read photos by hand.
/// </summary>
internal static class ApiDocumentation
{
    public const string TenantDocument = "v1";
    public const string OperatorDocument = "ops-v1";
    public const string TenantDocumentPath = "/openapi/v1.json";
    public const string OperatorDocumentPath = "/ops/openapi/ops-v1.json";
    public const string PagePrefix = "docs";

    private const string BearerScheme = "bearer";

    // Swagger UI sets inline styles and shows data: images (the logo); scripts only from this origin.
    private const string PageSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    private const string ProblemSchema = "Problem";

    private static readonly string[] ImageTypes = ["image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "application/octet-stream"];

    public static void Add(IServiceCollection services)
    {
        services.AddOpenApi(TenantDocument, document => Describe(document, "/v1",
            "Face recognition that never stores photos: the tenant API. Every call takes a tenant API key (`Authorization: Bearer ifk_...`) "
            + "and acts for that key's tenant, which no path names. Every error is RFC 9457 problem+json with a stable `code`."));
        services.AddOpenApi(OperatorDocument, document => Describe(document, "/ops/v1",
            "The operator API: tenants, API keys, key rotation, retention, the audit chain and break-glass grants. Operator keys only; "
            + "no operation reads a tenant's data outside an approved, time-limited, audited break-glass grant."));
    }

    public static void Map(WebApplication app)
    {
        // Each listener publishes its own API's document only.
        app.MapOpenApi(TenantDocumentPath.Replace(TenantDocument, "{documentName}", StringComparison.Ordinal)).Add(Only(TenantDocument));
        app.MapOpenApi(OperatorDocumentPath.Replace(OperatorDocument, "{documentName}", StringComparison.Ordinal)).Add(Only(OperatorDocument));
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/" + PagePrefix))
            {
                // The page and its assets come from this service only: no script, style or font from elsewhere can run.
                context.Response.Headers.ContentSecurityPolicy = PageSecurityPolicy;
            }
            await next(context);
        });
        app.UseSwaggerUI(page =>
        {
            page.RoutePrefix = PagePrefix;
            page.DocumentTitle = "IntelliFace API";
            page.SwaggerEndpoint(TenantDocumentPath, "IntelliFace tenant API v1");
        });
    }

    private static void Describe(OpenApiOptions options, string prefix, string description)
    {
        options.ShouldInclude = api => ("/" + api.RelativePath).StartsWith(prefix + "/", StringComparison.Ordinal) || ("/" + api.RelativePath) is "/healthz" or "/readyz";
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo { Title = "IntelliFace", Version = "v1", Description = description };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key: `Authorization: Bearer ifk_...`.",
            };
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[ProblemSchema] = Problem();
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (BearerAuthentication.RoleFor("/" + context.Description.RelativePath) is not null)
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
                operation.Responses ??= new OpenApiResponses();
                operation.Responses["4XX"] = ProblemResponse("The request was refused; `code` says why (see the error table).", context.Document);
                operation.Responses["5XX"] = ProblemResponse("The service cannot answer now (`store_unavailable`, `key_unavailable`, ...).", context.Document);
            }
            if (metadata.OfType<PhotoUpload>().FirstOrDefault() is { } upload) operation.RequestBody = PhotoBody(upload);
            if (operation.OperationId is { } queried && QueryParameters.TryGetValue(queried, out var parameters))
            {
                operation.Parameters ??= [];
                foreach (var parameter in parameters) operation.Parameters.Add(parameter);
            }
            if (operation.OperationId is { } id && ResultSchemas.ByOperation.TryGetValue(id, out var schema) && operation.Responses is { } responses)
            {
                foreach (var (_, response) in responses.Where(r => r.Key.StartsWith('2')))
                    if (response.Content?.TryGetValue("application/json", out var json) == true) json.Schema = schema;
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>Lets the document endpoint serve <paramref name="document"/> only: 404 for the other listener's.</summary>
    private static Action<EndpointBuilder> Only(string document) => endpoint =>
    {
        var serve = endpoint.RequestDelegate!;
        endpoint.RequestDelegate = context => Equals(context.GetRouteValue("documentName"), document)
            ? serve(context)
            : Errors.ProblemResponse.WriteAsync(context, FaceErrorCode.NotFound, null);
    };

    /// <summary>The query parameters of the endpoints that read them by hand (<c>QueryValues</c>), by operation id.</summary>
    private static readonly Dictionary<string, OpenApiParameter[]> QueryParameters = new()
    {
        ["identify"] =
        [
            Query("top", new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = "100", Default = System.Text.Json.Nodes.JsonValue.Create(5) },
                "How many candidates at most, best first."),
            Query("threshold", new OpenApiSchema { Type = JsonSchemaType.Number, Maximum = "1" },
                "A stricter threshold for this request: between the pack's calibrated threshold and 1."),
        ],
        ["exportAudit"] = [Query("after", new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" }, "Only entries after this sequence number.")],
        ["exportSubject"] = [Query("recipient_key", Text("An RSA public key (PEM, URL-encoded): the templates are included, sealed to it."), "Seal the templates to this key.")],
        ["listBreakGlass"] = [Query("tenant", Text("A tenant id."), "Only this tenant's grants.")],
    };

    private static OpenApiParameter Query(string name, OpenApiSchema schema, string description) =>
        new() { Name = name, In = ParameterLocation.Query, Required = false, Schema = schema, Description = description };

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details. Extra members carry facts of some codes (`faces`, `retry_after_seconds`, ...).",
        Required = new HashSet<string> { "type", "title", "status", "detail", "instance", "code", "trace_id" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("`urn:intelliface:error:` and the code."),
            ["title"] = Text("The code in words."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The HTTP status." },
            ["detail"] = Text("What happened, for a person."),
            ["instance"] = Text("The request's path (never its query)."),
            ["code"] = Text("Stable machine code: `no_face`, `multiple_faces`, `unknown_subject`, `rate_limited`, ..."),
            ["trace_id"] = Text("The request's trace id, also in the service's log line."),
        },
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiResponse ProblemResponse(string description, OpenApiDocument? document) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [Errors.ProblemResponse.ContentType] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
        },
    };

    private static OpenApiRequestBody PhotoBody(PhotoUpload upload)
    {
        var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        var base64 = Text("The photo as base64 (standard or URL-safe, padding optional), or a `data:image/...;base64,` URL.");
        var content = new Dictionary<string, OpenApiMediaType>
        {
            ["multipart/form-data"] = new() { Schema = PartsOf(upload, binary) },
            ["application/json"] = new() { Schema = PartsOf(upload, base64) },
        };
        if (upload.Parts.Count == 1)
            foreach (var type in ImageTypes) content[type] = new OpenApiMediaType { Schema = binary };
        return new OpenApiRequestBody
        {
            Required = true,
            Description = $"JPEG, PNG, WebP, GIF or BMP; at most {BodyLimits.Photo / (1024 * 1024)} MB and 50 megapixels a photo. The format is read from the bytes. "
                + "Never a URL or a server path.",
            Content = content,
        };
    }

    private static OpenApiSchema PartsOf(PhotoUpload upload, OpenApiSchema part) => new()
    {
        Type = JsonSchemaType.Object,
        Required = upload.Parts.ToHashSet(),
        Properties = upload.Parts.ToDictionary(name => name, _ => (IOpenApiSchema)part),
    };
}
