namespace IntelliFace.Client;

/// <summary>
/// The bytes of one photo to send: JPEG, PNG, WebP, GIF (first frame) or BMP, at most <see cref="MaxBytes"/>. Only bytes
/// the application holds: never a URL or a path for the service to fetch. The service reads the format from the bytes;
/// the media type here only labels the request. Immutable and safe to send from several requests at once.
/// </summary>
public sealed class PhotoContent
{
    /// <summary>The largest photo the service accepts: 20 MiB.</summary>
    public const int MaxBytes = 20 * 1024 * 1024;

    private const string OctetStream = "application/octet-stream";

    private PhotoContent(ReadOnlyMemory<byte> bytes, string? mediaType)
    {
        if (mediaType is not null && (!mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) && mediaType != OctetStream
            || !mediaType.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '+' or '-' or '.')))
            throw new ArgumentException($"A photo's media type is image/... or {OctetStream}, not '{mediaType}'.", nameof(mediaType));
        Bytes = bytes;
        MediaType = mediaType ?? SniffedType(bytes.Span);
    }

    /// <summary>The photo's bytes, as given (not copied).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The media type sent with the photo: the one given, else the type its first bytes show, else
    /// <c>application/octet-stream</c>.</summary>
    public string MediaType { get; }

    /// <summary>A photo from <paramref name="bytes"/>, which are not copied: do not change them while a request runs.</summary>
    /// <param name="mediaType"><c>image/...</c> or <c>application/octet-stream</c>; recognised from the bytes when null.</param>
    public static PhotoContent FromBytes(byte[] bytes, string? mediaType = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new PhotoContent(bytes, mediaType);
    }

    /// <inheritdoc cref="FromBytes(byte[], string?)"/>
    public static PhotoContent FromMemory(ReadOnlyMemory<byte> bytes, string? mediaType = null) => new(bytes, mediaType);

    /// <summary>Reads <paramref name="stream"/> to its end into memory (the stream stays open).</summary>
    /// <exception cref="ArgumentException">The stream holds more than <see cref="MaxBytes"/>, which the service would refuse.</exception>
    public static async Task<PhotoContent> FromStreamAsync(Stream stream, string? mediaType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
                throw new ArgumentException($"The photo is larger than {MaxBytes:N0} bytes, the most the service accepts.", nameof(stream));
            buffer.Write(chunk, 0, read);
        }
        return new PhotoContent(buffer.ToArray(), mediaType);
    }

    /// <summary>The service does not trust this label; it only makes the request honest about what it carries.</summary>
    private static string SniffedType(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "image/png",
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => "image/gif",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        [(byte)'B', (byte)'M', ..] => "image/bmp",
        _ => OctetStream,
    };
}
