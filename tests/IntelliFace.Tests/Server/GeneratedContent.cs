using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace IntelliFace.Tests.Server;

/// <summary>
/// A body of <paramref name="length"/> bytes made up while it is sent: <paramref name="prefix"/>, 'A's, then
/// <paramref name="suffix"/>. Chunked
/// (no Content-Length, so only counting can stop it) unless <paramref name="chunked"/> is false.
/// </summary>
/// <param name="prefix">Sent first, so a streaming JSON reader keeps reading the 'A's that follow.</param>
internal sealed class GeneratedContent : HttpContent
{
    private readonly long _length;
    private readonly byte[] _prefix;
    private readonly byte[] _suffix;
    private readonly bool _chunked;

    public GeneratedContent(long length, string type, string prefix = "", string suffix = "", bool chunked = true)
    {
        _length = length;
        _prefix = Encoding.UTF8.GetBytes(prefix);
        _suffix = Encoding.UTF8.GetBytes(suffix);
        _chunked = chunked;
        Headers.ContentType = MediaTypeHeaderValue.Parse(type);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'A');
        await stream.WriteAsync(_prefix);
        var filler = _length - _suffix.Length;
        for (var sent = (long)_prefix.Length; sent < filler; sent += chunk.Length)
            await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, filler - sent)));
        await stream.WriteAsync(_suffix);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _chunked ? 0 : _length;
        return !_chunked;
    }
}
