using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace IntelliFace.Tests.Server;

/// <summary>
/// HTTP/1.1 written byte for byte on a fresh connection, for requests no client library sends: dot segments kept,
/// a Content-Length that lies, a Content-Type without its parameter. The request asks to close the connection, so the
/// answer ends where the stream does; an answer cut short, or none, fails as a dropped connection.
/// </summary>
internal static class RawHttp
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Sends <paramref name="method"/> <paramref name="target"/> with <paramref name="headers"/> (one "Name: value"
    /// each; Host and Connection are added) and <paramref name="body"/>.</summary>
    /// <param name="contentLength">The Content-Length to declare; the body's length when null, none when negative.</param>
    public static async Task<HttpResponseMessage> SendAsync(Uri server, string method, string target, IEnumerable<string> headers, byte[] body,
        long? contentLength = null)
    {
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n");
        foreach (var header in headers) head.Append(header).Append("\r\n");
        if ((contentLength ?? body.Length) is var length and >= 0) head.Append($"Content-Length: {length}\r\n");
        head.Append("\r\n");

        using var timeout = new CancellationTokenSource(Patience);
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), timeout.Token);
        await stream.WriteAsync(body, timeout.Token);

        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{method} {target}: no complete answer within {Patience.TotalSeconds} s; got {received.Length} bytes.");
        }
        catch (IOException e)
        {
            throw new IOException($"{method} {target}: the connection was dropped after {received.Length} bytes of answer.", e);
        }
        return Parse(received.ToArray(), $"{method} {target}", method == "HEAD");
    }

    private static HttpResponseMessage Parse(byte[] bytes, string request, bool noBody)
    {
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0) throw new IOException($"{request}: the connection closed before a whole answer ({bytes.Length} bytes).");
        var lines = Encoding.Latin1.GetString(bytes, 0, end).Split("\r\n");
        var status = lines[0].Split(' ', 3);
        var response = new HttpResponseMessage((HttpStatusCode)int.Parse(status[1], System.Globalization.CultureInfo.InvariantCulture));
        var headers = lines.Skip(1).Select(line => line.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);

        var rest = bytes.AsSpan(end + 4);
        var body = noBody ? [] : headers.TryGetValue("Transfer-Encoding", out var coding) && coding == "chunked" ? Dechunk(rest, request) : rest.ToArray();
        if (!noBody && headers.TryGetValue("Content-Length", out var declared) && long.Parse(declared, System.Globalization.CultureInfo.InvariantCulture) != body.Length)
            throw new IOException($"{request}: the answer declared {declared} bytes and the connection closed after {body.Length}.");
        response.Content = new ByteArrayContent(body);
        if (headers.TryGetValue("Content-Type", out var type)) response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        foreach (var (name, value) in headers)
            if (!name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)) response.Headers.TryAddWithoutValidation(name, value);
        return response;
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> chunked, string request)
    {
        var body = new MemoryStream();
        while (true)
        {
            var line = chunked.IndexOf("\r\n"u8);
            if (line < 0) throw new IOException($"{request}: the chunked answer was cut off.");
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked[..line]).Split(';')[0], 16);
            chunked = chunked[(line + 2)..];
            if (size == 0) return body.ToArray();
            if (chunked.Length < size + 2) throw new IOException($"{request}: the chunked answer was cut off.");
            body.Write(chunked[..size]);
            chunked = chunked[(size + 2)..];
        }
    }
}
