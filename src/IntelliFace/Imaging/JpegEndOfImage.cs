namespace IntelliFace.Imaging;

/// <summary>
/// Whether a JPEG's marker structure reaches its end-of-image marker. Skia reports a truncated
/// baseline JPEG as incomplete, but a progressive JPEG cut inside its last scan decodes as
/// "success" (libjpeg only warns): this walk catches that case before decoding.
/// </summary>
internal static class JpegEndOfImage
{
    private const byte Marker = 0xFF;
    private const byte EndOfImage = 0xD9;

    public static bool IsReached(ReadOnlySpan<byte> jpeg)
    {
        var i = 2; // after the start-of-image marker
        while (i + 1 < jpeg.Length)
        {
            if (jpeg[i] != Marker)
            {
                // Entropy-coded data (or stray bytes, which libjpeg skips too): jump to the next 0xFF.
                var next = jpeg[i..].IndexOf(Marker);
                if (next < 0) return false;
                i += next;
                continue;
            }
            var code = jpeg[i + 1];
            if (code == EndOfImage) return true;
            if (code == Marker) { i++; continue; } // fill byte
            // A stuffed 0x00, restart markers, TEM and SOI carry no length.
            if (code is 0x00 or 0x01 or (>= 0xD0 and <= 0xD8)) { i += 2; continue; }
            if (i + 3 >= jpeg.Length) return false;
            // A segment (its length counts its own two bytes): skipping it also skips any EXIF
            // thumbnail inside, whose own end-of-image marker must not count.
            var length = (jpeg[i + 2] << 8) | jpeg[i + 3];
            if (length < 2) return false;
            i += 2 + length;
        }
        return false;
    }
}
