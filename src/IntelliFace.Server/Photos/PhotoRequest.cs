using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace IntelliFace.Server.Photos;

/// <summary>
/// The photos of a request, by Content-Type: the raw body (<c>image/*</c>, <c>application/octet-stream</c>), parts of a
/// <c>multipart/form-data</c> body, or base64 strings of a JSON object. Everything is read into bounded memory, never
/// into a file: forms are read section by section with <see cref="MultipartReader"/>, never through the framework's form
/// reader, which buffers large forms to temporary files.
/// </summary>
internal static class PhotoRequest
{
    public const string PhotoName = "photo";

    /// <summary>The one photo of the request (part or property <c>photo</c>).</summary>
    public static async Task<PhotoBuffer> ReadOneAsync(HttpRequest request)
    {
        var photos = await ReadAsync(request, [PhotoName]);
        return photos[0];
    }

    /// <summary>The photos named <paramref name="names"/>, in that order; the caller disposes each.</summary>
    /// <exception cref="FaceException"><c>unsupported_media_type</c>; <c>invalid_argument</c> for a malformed body or a
    /// missing photo; <c>image_too_large</c>.</exception>
    public static async Task<PhotoBuffer[]> ReadAsync(HttpRequest request, string[] names)
    {
        MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType);
        var type = mediaType?.MediaType.Value?.ToLowerInvariant();
        if (type is null) throw Unsupported(names);

        if (type.StartsWith("image/", StringComparison.Ordinal) || type == "application/octet-stream")
        {
            if (names.Length != 1)
                throw new FaceException(FaceErrorCode.UnsupportedMediaType, $"This endpoint takes {names.Length} photos: send multipart/form-data or JSON.");
            SetBodyLimit(request, BodyLimits.Photo);
            var (buffer, length) = await BoundedBody.ReadAsync(request.Body, request.ContentLength, BodyLimits.Photo, request.HttpContext.RequestAborted);
            return [new PhotoBuffer(buffer, 0, length)];
        }

        var limit = BodyLimits.EncodedPhotos(names.Length);
        SetBodyLimit(request, limit);
        if (type == "multipart/form-data") return await ReadMultipartAsync(request, mediaType!, names, limit);
        if (type == "application/json") return await ReadJsonAsync(request, names, limit);
        throw Unsupported(names);
    }

    /// <summary>
    /// Raises the body limit of a photo endpoint as soon as routing has chosen it, before the key or the query is
    /// checked. A request refused then (401, 403, 429, 400) still has its body read and discarded up to that limit,
    /// so a client that sends a large photo without <c>Expect: 100-continue</c> reads the refusal instead of a reset
    /// connection; past the limit the connection closes as before.
    /// </summary>
    public static Task RaiseLimitOfPhotoEndpoints(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<PhotoUpload>() is { } upload)
            SetBodyLimit(context.Request, BodyLimits.EncodedPhotos(upload.Parts.Count));
        return next(context);
    }

    /// <summary>Kestrel enforces the limit too (plus what may be drained), on chunked bodies as well, and answers 413 past it.</summary>
    private static void SetBodyLimit(HttpRequest request, long limit)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit + BodyLimits.DrainAllowance;
    }

    private static async Task<PhotoBuffer[]> ReadMultipartAsync(HttpRequest request, MediaTypeHeaderValue mediaType, string[] names, int limit)
    {
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
            throw Invalid("The multipart/form-data Content-Type names no usable boundary.");

        var found = new PhotoBuffer?[names.Length];
        try
        {
            var reader = new MultipartReader(boundary, new CountingStream(request.Body, limit)) { BodyLengthLimit = limit, HeadersCountLimit = 16 };
            while (await NextSectionAsync(reader, request.HttpContext.RequestAborted) is { } section)
            {
                var name = ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    ? HeaderUtilities.RemoveQuotes(disposition.Name).Value
                    : null;
                var index = name is null ? -1 : Array.IndexOf(names, name);
                if (index < 0)
                {
                    await SkipSectionAsync(section, request.HttpContext.RequestAborted);
                    continue;
                }
                if (found[index] is not null) throw Invalid($"The multipart body has more than one part named '{names[index]}'.");
                var (buffer, length) = await ReadSectionAsync(section, request.HttpContext.RequestAborted);
                found[index] = new PhotoBuffer(buffer, 0, length);
            }

            return Complete(found, names, "multipart body has no part");
        }
        catch
        {
            foreach (var photo in found) photo?.Dispose();
            throw;
        }
    }

    private static Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken cancellation) =>
        Malformed(() => reader.ReadNextSectionAsync(cancellation));

    private static Task<(byte[] Buffer, int Length)> ReadSectionAsync(MultipartSection section, CancellationToken cancellation) =>
        Malformed(() => BoundedBody.ReadAsync(section.Body, null, BodyLimits.Photo, cancellation));

    private static Task<bool> SkipSectionAsync(MultipartSection section, CancellationToken cancellation) =>
        Malformed(async () =>
        {
            await section.Body.CopyToAsync(Stream.Null, cancellation);
            return true;
        });

    /// <summary>
    /// The multipart reader's complaints are the client's mistake: <see cref="InvalidDataException"/> for a bad part,
    /// a bare <see cref="IOException"/> for a body that ends before its closing boundary. Kestrel's own
    /// <see cref="BadHttpRequestException"/> (an IOException too: a body over the limit, a connection that broke off)
    /// keeps its status.
    /// </summary>
    private static async Task<T> Malformed<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (InvalidDataException e)
        {
            throw Invalid($"The multipart body is malformed: {e.Message}");
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            throw Invalid("The multipart body ends before its closing boundary.");
        }
    }

    private static async Task<PhotoBuffer[]> ReadJsonAsync(HttpRequest request, string[] names, int limit)
    {
        var (body, length) = await BoundedBody.ReadAsync(request.Body, request.ContentLength, limit, request.HttpContext.RequestAborted);
        try
        {
            return ParseJson(body.AsSpan(0, length), names);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(body);
        }
    }

    private static PhotoBuffer[] ParseJson(ReadOnlySpan<byte> json, string[] names)
    {
        var found = new PhotoBuffer?[names.Length];
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw Invalid($"The JSON body is an object: {{{string.Join(", ", names.Select(n => $"\"{n}\": \"<base64>\""))}}}.");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var index = -1;
                for (var i = 0; i < names.Length && index < 0; i++)
                    if (reader.ValueTextEquals(names[i])) index = i;
                reader.Read();
                if (index < 0)
                {
                    reader.Skip();
                    continue;
                }
                if (reader.TokenType != JsonTokenType.String) throw Invalid($"\"{names[index]}\" is a base64 string.");
                if (found[index] is not null) throw Invalid($"The JSON body has \"{names[index]}\" more than once.");
                found[index] = Base64Photo.Decode(ref reader, names[index]);
            }
            // Anything after the object is malformed JSON, which the reader reports.
            reader.Read();
            return Complete(found, names, "JSON body has no");
        }
        catch
        {
            foreach (var photo in found) photo?.Dispose();
            throw;
        }
    }

    private static PhotoBuffer[] Complete(PhotoBuffer?[] found, string[] names, string missing)
    {
        for (var i = 0; i < names.Length; i++)
            if (found[i] is null) throw Invalid($"The {missing} '{names[i]}'.");
        return found!;
    }

    private static FaceException Unsupported(string[] names) => new(FaceErrorCode.UnsupportedMediaType, names.Length == 1
        ? "Send the photo as the body (image/*, application/octet-stream), as the multipart/form-data part 'photo', or as JSON {\"photo\": \"<base64>\"}."
        : $"Send the photos as the multipart/form-data parts {string.Join(" and ", names.Select(n => $"'{n}'"))}, or as JSON {{{string.Join(", ", names.Select(n => $"\"{n}\": \"<base64>\""))}}}.");

    internal static FaceException Invalid(string message) => new(FaceErrorCode.InvalidArgument, message);
}
