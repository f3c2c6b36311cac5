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
