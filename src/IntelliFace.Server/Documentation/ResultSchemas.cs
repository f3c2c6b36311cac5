using Microsoft.OpenApi;

namespace IntelliFace.Server.Documentation;

/// <summary>
/// The JSON documents the endpoints answer with (<see cref="Recognition.ResultDocuments"/>), as OpenAPI schemas,
/// by operation id. The handlers return <c>JsonObject</c>, which the generator cannot see into; a test checks live
/// answers against these schemas, so they cannot drift from <c>ResultDocuments</c> unnoticed.
/// </summary>
internal static class ResultSchemas
{
    private static readonly JsonSchemaType NullableString = JsonSchemaType.String | JsonSchemaType.Null;

    private static OpenApiSchema Box => Object(("x", Number()), ("y", Number()), ("width", Number()), ("height", Number()));

    private static OpenApiSchema Face => Object(
        ("faces_detected", Integer("How many faces the photo shows.")),
        ("score", Number("The detector's confidence, 0..1.")),
        ("box", Describe(Box, "The face's box in the original photo's pixels, EXIF orientation applied.")));

    private static OpenApiSchema Similarity => Number("Cosine similarity of the embeddings, -1..1 (6 decimals).");

    private static OpenApiSchema Threshold => Number("The decision threshold: same person when similarity >= threshold.");

    private static OpenApiSchema Pack => Text("The model pack id (detector.alignment.embedder@hash-pversion); templates of other packs are never compared.");

    private static OpenApiSchema Subject => Object(
        ("subject", Text()), ("templates", Integer()), ("packs", Array(Text())), ("created_utc", Text(format: "date-time")));

    private static OpenApiSchema Template => Object(
        ("template", Text()), ("pack", Pack), ("key_version", Integer()), ("created_utc", Text(format: "date-time")), ("last_used_utc", Text(format: "date-time")));

    private static OpenApiSchema Consent => Object(
        ("tenant", Text()), ("subject", Text()), ("lawful_basis", Text()), ("notice_version", Text()),
        ("given_utc", Text(format: "date-time")), ("recorded_utc", Text(format: "date-time")));

    private static OpenApiSchema AuditEntry => Object(
        ("seq", Integer()), ("at_utc", Text(format: "date-time")), ("actor", Text()), ("action", Text()),
        ("tenant", Nullable()), ("subject", Nullable()), ("outcome", Text("`ok` or the error code.")),
        ("details", new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = Text() }),
        ("hash", Text()), ("mac", Text()));

    private static OpenApiSchema SealedTemplates => Object(
        ("algorithm", Text()), ("associated_data", Text()), ("wrapped_key", Text(format: "byte")), ("nonce", Text(format: "byte")),
        ("ciphertext", Text(format: "byte")), ("tag", Text(format: "byte")));

    /// <summary>The answer's schema by operation id; operations not named answer an object described in the contract.</summary>
    public static IReadOnlyDictionary<string, OpenApiSchema> ByOperation { get; } = new Dictionary<string, OpenApiSchema>
    {
        ["health"] = Object(("status", Text())),
        ["ready"] = Object(("status", Text()), ("pack", Pack)),
        ["enroll"] = Object(("tenant", Text()), ("subject", Text()), ("template", Text()), ("pack", Pack), ("face", Face)),
        ["verify"] = Object(("match", Boolean()), ("similarity", Similarity), ("threshold", Threshold), ("subject", Text()), ("pack", Pack), ("face", Face)),
        ["identify"] = Object(
            ("match", Nullable("The best candidate's subject, or null: no subject reaches the threshold.")),
            ("candidates", Array(Object(("subject", Text()), ("similarity", Similarity)))),
            ("threshold", Threshold), ("pack", Pack), ("face", Face)),
        ["compare"] = Object(("match", Boolean()), ("similarity", Similarity), ("threshold", Threshold), ("pack", Pack), ("face_a", Face), ("face_b", Face)),
        ["listSubjects"] = Object(("tenant", Text()), ("subjects", Array(Subject))),
        ["getSubject"] = Subject,
        ["listTemplates"] = Object(("subject", Text()), ("templates", Array(Template))),
        ["recordConsent"] = Consent,
        ["exportSubject"] = Object(
            ("tenant", Text()), ("subject", Text()), ("created_utc", Text(format: "date-time")),
            ("consent", Describe(Consent, "Null when no consent is recorded.", nullable: true)),
            ("templates", Array(Template)), ("audit", Array(AuditEntry)),
            ("sealed_templates", Describe(SealedTemplates, "The embeddings sealed to recipient_key (RSA-OAEP-256 + AES-256-GCM); null without it.", nullable: true))),
        ["exportAudit"] = Object(("tenant", Text()), ("entries", Array(AuditEntry))),
    };

    private static OpenApiSchema Object(params (string Name, OpenApiSchema Schema)[] properties) => new()
    {
        Type = JsonSchemaType.Object,
        Required = properties.Select(p => p.Name).ToHashSet(),
        Properties = properties.ToDictionary(p => p.Name, p => (IOpenApiSchema)p.Schema),
    };

    private static OpenApiSchema Describe(OpenApiSchema schema, string description, bool nullable = false)
    {
        schema.Description = description;
        if (nullable) schema.Type |= JsonSchemaType.Null;
        return schema;
    }

    private static OpenApiSchema Array(OpenApiSchema items) => new() { Type = JsonSchemaType.Array, Items = items };

    private static OpenApiSchema Text(string? description = null, string? format = null) =>
        new() { Type = JsonSchemaType.String, Description = description, Format = format };

    private static OpenApiSchema Nullable(string? description = null) => new() { Type = NullableString, Description = description };

    private static OpenApiSchema Number(string? description = null) => new() { Type = JsonSchemaType.Number, Description = description };

    private static OpenApiSchema Integer(string? description = null) => new() { Type = JsonSchemaType.Integer, Description = description };

    private static OpenApiSchema Boolean() => new() { Type = JsonSchemaType.Boolean };
}
