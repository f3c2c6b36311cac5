namespace IntelliFace;

/// <summary>
/// Stable machine-readable error codes. They are part of the public contract (CLI <c>--json</c>,
/// HTTP problem+json): never rename one; add a new one instead.
/// </summary>
public static class FaceErrorCode
{
    public const string NoFace = "no_face";
    public const string MultipleFaces = "multiple_faces";
    public const string FaceTooSmall = "face_too_small";
    public const string UnsupportedFormat = "unsupported_format";
    public const string ImageTooLarge = "image_too_large";
    public const string CorruptImage = "corrupt_image";
    public const string ModelMismatch = "model_mismatch";
    public const string ModelNotInstalled = "model_not_installed";
    public const string ModelIntegrity = "model_integrity";
    public const string UnknownSubject = "unknown_subject";
    public const string UnknownTenant = "unknown_tenant";
    public const string TemplateUnreadable = "template_unreadable";
    public const string InvalidArgument = "invalid_argument";
    public const string KeyUnavailable = "key_unavailable";
    public const string StoreUnavailable = "store_unavailable";
    public const string Internal = "internal_error";
    /// <summary>No credential, or one that is unknown, revoked or malformed.</summary>
    public const string Unauthorized = "unauthorized";
    /// <summary>A valid credential that may not do this (wrong tenant, missing scope, operator without a grant).</summary>
    public const string Forbidden = "forbidden";
    public const string TenantSuspended = "tenant_suspended";
    public const string TenantExists = "tenant_exists";
    public const string UnknownCredential = "unknown_credential";
    public const string UnknownGrant = "unknown_grant";
    public const string GrantNotApproved = "grant_not_approved";
    public const string GrantExpired = "grant_expired";
    public const string SelfApproval = "self_approval";
    public const string ConsentRequired = "consent_required";
    /// <summary>HTTP: no such route.</summary>
    public const string NotFound = "not_found";
    /// <summary>HTTP: the route exists, not with this method.</summary>
    public const string MethodNotAllowed = "method_not_allowed";
    /// <summary>HTTP: the request's Content-Type is not one the endpoint takes.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";
    /// <summary>HTTP: the API key (or the address, without one) sent more requests than its rate allows.</summary>
    public const string RateLimited = "rate_limited";
}

/// <summary>
/// A failure the caller can act on, carrying a stable <see cref="Code"/>. The message is one line,
/// written for the person who sent the input, and never contains image bytes, embeddings or keys.
/// </summary>
public sealed class FaceException : Exception
{
    public FaceException(string code, string message, Exception? inner = null) : base(message, inner)
    {
        Code = code;
    }

    public string Code { get; }

    /// <summary>Extra structured facts for clients (for example the face count of <c>multiple_faces</c>).</summary>
    public IReadOnlyDictionary<string, object> Details { get; init; } = new Dictionary<string, object>();
}
