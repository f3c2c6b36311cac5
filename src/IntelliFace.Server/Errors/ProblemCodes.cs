using Microsoft.AspNetCore.Http;

namespace IntelliFace.Server.Errors;

/// <summary>The HTTP status of every error code: the one place <see cref="FaceErrorCode"/> meets HTTP.</summary>
internal static class ProblemCodes
{
    public static int StatusOf(string code) => code switch
    {
        FaceErrorCode.InvalidArgument => StatusCodes.Status400BadRequest,
        FaceErrorCode.Unauthorized => StatusCodes.Status401Unauthorized,
        FaceErrorCode.Forbidden or FaceErrorCode.TenantSuspended or FaceErrorCode.SelfApproval or FaceErrorCode.GrantNotApproved
            or FaceErrorCode.GrantExpired => StatusCodes.Status403Forbidden,
        FaceErrorCode.NotFound or FaceErrorCode.UnknownSubject or FaceErrorCode.UnknownTenant or FaceErrorCode.UnknownGrant
            or FaceErrorCode.UnknownCredential => StatusCodes.Status404NotFound,
        FaceErrorCode.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        FaceErrorCode.ModelMismatch or FaceErrorCode.TenantExists or FaceErrorCode.ConsentRequired => StatusCodes.Status409Conflict,
        FaceErrorCode.ImageTooLarge => StatusCodes.Status413PayloadTooLarge,
        FaceErrorCode.UnsupportedMediaType or FaceErrorCode.UnsupportedFormat => StatusCodes.Status415UnsupportedMediaType,
        FaceErrorCode.NoFace or FaceErrorCode.MultipleFaces or FaceErrorCode.FaceTooSmall or FaceErrorCode.CorruptImage => StatusCodes.Status422UnprocessableEntity,
        FaceErrorCode.RateLimited => StatusCodes.Status429TooManyRequests,
        FaceErrorCode.StoreUnavailable or FaceErrorCode.KeyUnavailable or FaceErrorCode.ModelNotInstalled
            or FaceErrorCode.ModelIntegrity => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The code of a response the framework ended without a body (routing, Kestrel, the rate limiter).</summary>
    public static string CodeOf(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => FaceErrorCode.Unauthorized,
        StatusCodes.Status403Forbidden => FaceErrorCode.Forbidden,
        StatusCodes.Status404NotFound => FaceErrorCode.NotFound,
        StatusCodes.Status405MethodNotAllowed => FaceErrorCode.MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => FaceErrorCode.ImageTooLarge,
        StatusCodes.Status415UnsupportedMediaType => FaceErrorCode.UnsupportedMediaType,
        StatusCodes.Status429TooManyRequests => FaceErrorCode.RateLimited,
        StatusCodes.Status503ServiceUnavailable => FaceErrorCode.StoreUnavailable,
        >= 400 and < 500 => FaceErrorCode.InvalidArgument,
        _ => FaceErrorCode.Internal,
    };

    /// <summary>"multiple_faces" -> "Multiple faces".</summary>
    public static string TitleOf(string code) => code.Length == 0 ? code : char.ToUpperInvariant(code[0]) + code[1..].Replace('_', ' ');

    public static string DefaultDetailOf(string code) => code switch
    {
        FaceErrorCode.NotFound => "There is no such resource.",
        FaceErrorCode.MethodNotAllowed => "The resource does not take this method.",
        FaceErrorCode.UnsupportedMediaType => "The request's Content-Type is not one this endpoint takes.",
        FaceErrorCode.ImageTooLarge => "The request body is larger than this endpoint accepts.",
        FaceErrorCode.RateLimited => "Too many requests; retry after the time in Retry-After.",
        FaceErrorCode.Unauthorized => "An API key is required: Authorization: Bearer <key>.",
        FaceErrorCode.Internal => "An unexpected failure; it was logged.",
        _ => "The request cannot be served.",
    };
}
