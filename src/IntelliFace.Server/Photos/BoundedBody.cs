using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace IntelliFace.Server.Photos;

/// <summary>
/// Reads a stream into memory, never past a limit, whatever the request declared (chunked bodies have no
/// length). Every buffer dropped on the way is zeroed: they may hold photo bytes.
/// </summary>
internal static class BoundedBody
{
    private const int FirstChunk = 64 * 1024;

    /// <returns>The buffer (owned by the caller, who zeroes it) and how many bytes of it were read.</returns>
    /// <exception cref="FaceException"><c>image_too_large</c> past <paramref name="limit"/>.</exception>
    public static async Task<(byte[] Buffer, int Length)> ReadAsync(Stream body, long? declaredLength, int limit, CancellationToken cancellation)
    {
        if (declaredLength > limit) throw TooLarge(limit);
        var buffer = new byte[declaredLength is { } declared ? (int)declared + 1 : Math.Min(FirstChunk, limit + 1)];
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit) throw TooLarge(limit);
                    var larger = new byte[(int)Math.Min(buffer.Length * 2L, limit + 1L)];
                    buffer.AsSpan(0, length).CopyTo(larger);
                    CryptographicOperations.ZeroMemory(buffer);
                    buffer = larger;
                }

                var read = await ReadSomeAsync(body, buffer.AsMemory(length), cancellation);
                if (read == 0) break;
                length += read;
            }

            if (length > limit) throw TooLarge(limit);
            return (buffer, length);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(buffer);
            throw;
        }
    }

    private static async Task<int> ReadSomeAsync(Stream body, Memory<byte> into, CancellationToken cancellation)
    {
        try
        {
            return await body.ReadAsync(into, cancellation);
        }
        catch (IOException e) when (e is not BadHttpRequestException && !cancellation.IsCancellationRequested)
        {
            // Kestrel reports some malformed chunked bodies (a chunk size past 2^31) as a bare IOException, not a bad request.
            throw new FaceException(FaceErrorCode.InvalidArgument, $"The request body cannot be read: {e.Message}", e);
        }
    }

    public static FaceException TooLarge(int limit) =>
        new(FaceErrorCode.ImageTooLarge, $"The request body is larger than {limit:N0} bytes, the most this endpoint accepts.");
}
