using System.Security.Cryptography;

namespace IntelliFace.Server.Photos;

/// <summary>A photo's bytes in memory, read from a request. <see cref="Dispose"/> zeroes the whole buffer they sit in.</summary>
internal sealed class PhotoBuffer(byte[] buffer, int offset, int length) : IDisposable
{
    public ReadOnlySpan<byte> Span => buffer.AsSpan(offset, length);

    public int Length => length;

    public void Dispose() => CryptographicOperations.ZeroMemory(buffer);
}
