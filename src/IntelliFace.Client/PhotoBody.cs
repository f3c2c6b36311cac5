using System.Buffers;
using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Text;

namespace IntelliFace.Client;

/// <summary>The request body that carries named photos in one of the contract's encodings.</summary>
internal static class PhotoBody
{
    public static HttpContent Create(PhotoEncoding encoding, params ReadOnlySpan<(string Name, PhotoContent Photo)> photos)
    {
        if (encoding == PhotoEncoding.Raw && photos.Length > 1) encoding = PhotoEncoding.Multipart;
        return encoding switch
        {
            PhotoEncoding.Raw => Raw(photos[0].Photo),
            PhotoEncoding.Multipart => Multipart(photos),
            PhotoEncoding.Json => Json(photos, dataUrl: false),
            PhotoEncoding.DataUrl => Json(photos, dataUrl: true),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Not a photo encoding."),
        };
    }

    private static ReadOnlyMemoryContent Raw(PhotoContent photo)
    {
        var content = new ReadOnlyMemoryContent(photo.Bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(photo.MediaType);
        return content;
    }

    private static MultipartFormDataContent Multipart(ReadOnlySpan<(string Name, PhotoContent Photo)> photos)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, photo) in photos) content.Add(Raw(photo), name, name);
        return content;
    }

    /// <summary><c>{"a": "...", "b": "..."}</c>, written directly: base64 and the media type need no JSON escaping.</summary>
    private static ByteArrayContent Json(ReadOnlySpan<(string Name, PhotoContent Photo)> photos, bool dataUrl)
    {
        var body = new ArrayBufferWriter<byte>();
        Write(body, "{");
        for (var i = 0; i < photos.Length; i++)
        {
            var (name, photo) = photos[i];
            Write(body, $"{(i == 0 ? "" : ",")}\"{name}\":\"");
            if (dataUrl) Write(body, $"data:{photo.MediaType};base64,");
            var target = body.GetSpan(Base64.GetMaxEncodedToUtf8Length(photo.Bytes.Length));
            Base64.EncodeToUtf8(photo.Bytes.Span, target, out _, out var written);
            body.Advance(written);
            Write(body, "\"");
        }
        Write(body, "}");
        var content = new ByteArrayContent(body.WrittenSpan.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static void Write(ArrayBufferWriter<byte> body, string ascii) => body.Write(Encoding.ASCII.GetBytes(ascii));
}
