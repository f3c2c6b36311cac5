namespace IntelliFace.Imaging;

/// <summary>Turns straight-alpha RGBA pixels into opaque RGB by compositing them over white.</summary>
internal static class AlphaFlattening
{
    /// <summary>
    /// Composites straight (unpremultiplied) 8-bit RGBA onto a fixed white background: for each
    /// channel <c>out = a*c + (1-a)*255</c> with <c>a = alpha/255</c>, rounded to the nearest integer.
    /// White rather than black so transparent surroundings (stickers, cut-outs) read as a plain
    /// background instead of a dark frame around the face. Opaque pixels are copied unchanged.
    /// </summary>
    public static void OntoWhite(ReadOnlySpan<byte> rgba, Span<byte> rgb)
    {
        if (rgba.Length % 4 != 0 || rgb.Length != rgba.Length / 4 * 3)
            throw new ArgumentException("RGBA and RGB spans must hold the same number of pixels.", nameof(rgb));
        for (int s = 0, d = 0; s < rgba.Length; s += 4, d += 3)
        {
            int alpha = rgba[s + 3];
            if (alpha == 255)
            {
                rgb[d] = rgba[s];
                rgb[d + 1] = rgba[s + 1];
                rgb[d + 2] = rgba[s + 2];
                continue;
            }
            rgb[d] = OverWhite(rgba[s], alpha);
            rgb[d + 1] = OverWhite(rgba[s + 1], alpha);
            rgb[d + 2] = OverWhite(rgba[s + 2], alpha);
        }
    }

    // (alpha*c + (255-alpha)*255) / 255, rounded half up; never exceeds 255.
    private static byte OverWhite(int channel, int alpha) => (byte)((alpha * channel + (255 - alpha) * 255 + 127) / 255);
}
