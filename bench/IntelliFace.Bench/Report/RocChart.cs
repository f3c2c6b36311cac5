using IntelliFace.Bench.Lfw;
using SkiaSharp;

namespace IntelliFace.Bench.Report;

/// <summary>
/// The LFW ROC curves of the measured packs as a PNG: true accept rate against false accept rate
/// on a logarithmic axis (1e-3 to 1), where the operating points of face verification lie.
/// </summary>
internal static class RocChart
{
    private const int Width = 900, Height = 600;
    private const float Left = 80, Right = 30, Top = 50, Bottom = 70;
    private const double MinFar = 1e-3, MinTar = 0.80;

    private static readonly SKColor[] Colours = [new(0x1f, 0x77, 0xb4), new(0xd6, 0x27, 0x28), new(0x2c, 0xa0, 0x2c), new(0x94, 0x67, 0xbd)];

    public static void Write(IReadOnlyList<LfwResult> results, string path)
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 15);
        using var small = new SKFont(SKTypeface.Default, 13);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var grid = new SKPaint { Color = new SKColor(0xdd, 0xdd, 0xdd), StrokeWidth = 1 };
        using var frame = new SKPaint { Color = SKColors.Black, StrokeWidth = 1.5f, Style = SKPaintStyle.Stroke };

        foreach (var far in new[] { 1e-3, 1e-2, 1e-1, 1 })
        {
            var x = X(far);
            canvas.DrawLine(x, Top, x, Height - Bottom, grid);
            canvas.DrawText(far == 1 ? "1" : $"1e{Math.Log10(far):0}", x, Height - Bottom + 20, SKTextAlign.Center, small, ink);
        }

        for (var tar = MinTar; tar <= 1.0001; tar += 0.05)
        {
            var y = Y(tar);
            canvas.DrawLine(Left, y, Width - Right, y, grid);
            canvas.DrawText(tar.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), Left - 8, y + 5, SKTextAlign.Right, small, ink);
        }

        canvas.DrawRect(Left, Top, Width - Left - Right, Height - Top - Bottom, frame);
        canvas.DrawText("false accept rate (impostor pairs accepted), log scale", (Left + Width - Right) / 2, Height - 25, SKTextAlign.Center, font, ink);
        canvas.Save();
        canvas.RotateDegrees(-90);
        canvas.DrawText("true accept rate", -(Top + Height - Bottom) / 2, 25, SKTextAlign.Center, font, ink);
        canvas.Restore();
        canvas.DrawText("LFW dev (3,000 pairs): ROC per model pack, cosine similarity", Width / 2f, 30, SKTextAlign.Center, font, ink);

        canvas.Save();
        canvas.ClipRect(new SKRect(Left, Top, Width - Right, Height - Bottom));
        for (var i = 0; i < results.Count; i++)
        {
            using var line = new SKPaint { Color = Colours[i % Colours.Length], StrokeWidth = 2.5f, Style = SKPaintStyle.Stroke, IsAntialias = true };
            SKPoint? previous = null;
            foreach (var point in results[i].Roc)
            {
                // A curve is a staircase: move right at the old height, then up.
                var here = new SKPoint(X(Math.Max(point.FalseAcceptRate, MinFar / 2)), Y(Math.Max(point.TrueAcceptRate, MinTar - 0.05)));
                if (previous is { } from)
                {
                    canvas.DrawLine(from.X, from.Y, here.X, from.Y, line);
                    canvas.DrawLine(here.X, from.Y, here.X, here.Y, line);
                }

                previous = here;
            }
        }

        canvas.Restore();
        for (var i = 0; i < results.Count; i++)
        {
            using var swatch = new SKPaint { Color = Colours[i % Colours.Length], StrokeWidth = 4 };
            var y = Height - Bottom - 20 - 22 * (results.Count - 1 - i);
            canvas.DrawLine(Width - Right - 370, y - 5, Width - Right - 340, y - 5, swatch);
            var r = results[i];
            canvas.DrawText($"{r.PackName}: {Markdown.Percent(r.MeanAccuracy)}, TAR {Markdown.Percent(r.TarAtFar.Tar)} @ 1e-3",
                Width - Right - 332, y, SKTextAlign.Left, small, ink);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        var temporary = path + ".tmp";
        using (var file = File.Create(temporary)) data.SaveTo(file);
        File.Move(temporary, path, overwrite: true);
    }

    private static float X(double far) =>
        Left + (float)((Math.Log10(far) - Math.Log10(MinFar)) / -Math.Log10(MinFar) * (Width - Left - Right));

    private static float Y(double tar) => Height - Bottom - (float)((tar - MinTar) / (1 - MinTar) * (Height - Top - Bottom));
}
