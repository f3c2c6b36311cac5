namespace IntelliFace.Client;

/// <summary>How a photo travels in the request body. The service answers the same for each.</summary>
public enum PhotoEncoding
{
    /// <summary>The body is the photo, with its image type (or <c>application/octet-stream</c>). The smallest request.
    /// Endpoints that take two photos (compare) send <see cref="Multipart"/> instead.</summary>
    Raw,

    /// <summary><c>multipart/form-data</c>, one file part per photo (<c>photo</c>; <c>a</c> and <c>b</c> for compare).</summary>
    Multipart,

    /// <summary><c>application/json</c> with each photo as a standard base64 string (a third larger than raw).</summary>
    Json,

    /// <summary><c>application/json</c> with each photo as a <c>data:image/...;base64,</c> URL.</summary>
    DataUrl,
}
