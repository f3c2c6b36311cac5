using IntelliFace.Tests.EndToEnd;
using SkiaSharp;

namespace IntelliFace.Tests.Server;

/// <summary>A DeepFace photo scaled and encoded again, in memory only: a tiny probe, or a large upload.</summary>
internal static class ScaledPhoto
{
    public static byte[] Png(string file, double scale) => Encode(file, scale, pixels => pixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub, 1)));

    public static byte[] Jpeg(string file, double scale) => Encode(file, scale, pixels => pixels.Encode(new SKJpegEncoderOptions(85, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)));

    private static byte[] Encode(string file, double scale, Func<SKPixmap, SKData?> encode)
    {
        using var source = SKBitmap.Decode(DeepFacePhotos.PathOf(file)) ?? throw new InvalidDataException($"{file} does not decode.");
        using var scaled = new SKBitmap(new SKImageInfo((int)(source.Width * scale), (int)(source.Height * scale), SKColorType.Rgba8888, SKAlphaType.Opaque));
        source.ScalePixels(scaled, new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var pixels = scaled.PeekPixels();
        using var data = encode(pixels) ?? throw new InvalidDataException($"{file} does not encode.");
        return data.ToArray();
    }
}
