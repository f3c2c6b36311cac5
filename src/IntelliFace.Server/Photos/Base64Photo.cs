using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace IntelliFace.Server.Photos;

/// <summary>
/// A photo sent as a JSON string: base64 in the standard or URL-safe alphabet, padding optional, optionally a
/// <c>data:image/...;base64,</c> URL. Decoded in place, in one buffer that the photo then owns (and zeroes).
/// </summary>
internal static class Base64Photo
{
    private static ReadOnlySpan<byte> DataUrl => "data:"u8;
    private static ReadOnlySpan<byte> ImageDataUrl => "data:image/"u8;
    private static ReadOnlySpan<byte> Base64Marker => ";base64"u8;

    public static PhotoBuffer Decode(ref Utf8JsonReader reader, string name)
    {
        var escapedLength = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        // Room for up to three '=' of padding after the text.
        var buffer = new byte[escapedLength + 3];
        try
        {
            var written = CopyString(ref reader, buffer, name);
            var photo = DecodeInPlace(buffer, written, name);
            if (photo.Length > BodyLimits.Photo)
            {
                photo.Dispose();
                throw new FaceException(FaceErrorCode.ImageTooLarge, $"The photo is larger than {BodyLimits.Photo:N0} bytes, the most accepted.");
            }
            return photo;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(buffer);
            throw;
        }
    }

    private static int CopyString(ref Utf8JsonReader reader, byte[] buffer, string name)
    {
        try
        {
            return reader.CopyString(buffer);
        }
        catch (InvalidOperationException)
        {
            // The reader checks UTF-8 only when it unescapes the string.
            throw NotBase64(name);
        }
    }

    private static PhotoBuffer DecodeInPlace(byte[] buffer, int written, string name)
    {
        var text = buffer.AsSpan(0, written);
        var start = 0;
        if (text.StartsWith(DataUrl))
        {
            var comma = text.IndexOf((byte)',');
            if (comma < 0 || !text.StartsWith(ImageDataUrl) || !text[..comma].EndsWith(Base64Marker))
                throw PhotoRequest.Invalid($"\"{name}\" is a data: URL that is not an image in base64 (data:image/jpeg;base64,...).");
            start = comma + 1;
        }

        // Standard alphabet, no whitespace, no padding yet: compacted in place.
        var length = 0;
        for (var i = start; i < written; i++)
        {
            var c = buffer[i];
            if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') continue;
            buffer[start + length++] = c switch
            {
                (byte)'-' => (byte)'+',
                (byte)'_' => (byte)'/',
                _ => c,
            };
        }
        while (length > 0 && buffer[start + length - 1] == (byte)'=') length--;
        if (length % 4 == 1) throw NotBase64(name);
        while (length % 4 != 0) buffer[start + length++] = (byte)'=';

        if (Base64.DecodeFromUtf8InPlace(buffer.AsSpan(start, length), out var decoded) != OperationStatus.Done) throw NotBase64(name);
        return new PhotoBuffer(buffer, start, decoded);
    }

    private static FaceException NotBase64(string name) =>
        PhotoRequest.Invalid($"\"{name}\" is not valid base64 (standard or URL-safe alphabet, padding optional).");
}
