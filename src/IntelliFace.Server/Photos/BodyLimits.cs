using IntelliFace.Imaging;

namespace IntelliFace.Server.Photos;

/// <summary>The most bytes each kind of request body may hold (MiB, as the image intake counts).</summary>
internal static class BodyLimits
{
    /// <summary>One photo, as raw bytes or once decoded: what the image intake accepts.</summary>
    public static readonly int Photo = new ImageIntakeLimits().MaxBytes;

    /// <summary>One photo as base64 JSON or multipart (base64 grows it by a third).</summary>
    public const int EncodedPhoto = 28 * 1024 * 1024;

    /// <summary>Any other body: a small JSON document.</summary>
    public const int Document = 1024 * 1024;

    public static int EncodedPhotos(int count) => EncodedPhoto * count;

    /// <summary>
    /// How far past its limit a body is still read (and discarded) before the 413 is sent. A client that sends a
    /// body slightly too large then reads the answer, instead of a connection reset while it is still sending.
    /// </summary>
    public const int DrainAllowance = 4 * 1024 * 1024;
}
