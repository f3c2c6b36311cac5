using IntelliFace.Detection;
using IntelliFace.Imaging;

namespace IntelliFace.Alignment;

/// <summary>Points of an aligned crop that landmarks are mapped onto, in crop pixels, with the centroid the fit uses.</summary>
/// <param name="CentreX">The centroid of the template's points, or the rounded constant a reference implementation uses in its place.</param>
internal sealed record PointTemplate(float[] X, float[] Y, float CentreX, float CentreY)
{
    public int Count => X.Length;

    /// <summary>A template whose centroid is the mean of its points (summed in float32, in order).</summary>
    public static PointTemplate WithMeanCentre(float[] x, float[] y)
    {
        if (x.Length != y.Length || x.Length < 2)
            throw new ArgumentException($"A template needs as many x as y coordinates, at least two ({x.Length} and {y.Length} given).");
        return new PointTemplate(x, y, MeanOf(x), MeanOf(y));
    }

    /// <summary>A template of the given points (float32), centred on their mean.</summary>
    public static PointTemplate Of(ReadOnlySpan<PointD> points)
    {
        var x = new float[points.Length];
        var y = new float[points.Length];
        for (var i = 0; i < points.Length; i++)
        {
            x[i] = (float)points[i].X;
            y[i] = (float)points[i].Y;
        }

        return WithMeanCentre(x, y);
    }

    internal static float MeanOf(ReadOnlySpan<float> values)
    {
        var sum = 0f;
        foreach (var value in values) sum += value;
        return sum / values.Length;
    }
}

/// <summary>Fitting a similarity transform (rotation, uniform scale, translation; no reflection).</summary>
internal static class SimilarityTransform
{
    /// <summary>
    /// The least-squares similarity transform from <paramref name="points"/> (image pixels) to the
    /// <paramref name="template"/>'s points (crop pixels), point i onto template point i. OpenCV
    /// obtains it from an SVD (Umeyama's method); in two dimensions its rotation and scale have the
    /// closed form used here, which equals Umeyama's with the reflection excluded. Points, means and
    /// products are float32 as in OpenCV's <c>FaceRecognizerSF::alignCrop</c>, sums double, so
    /// the 5-point ArcFace alignment stays OpenCV's to the bit.
    /// </summary>
    public static AffineTransform LeastSquares(ReadOnlySpan<PointD> points, PointTemplate template)
    {
        if (points.Length != template.Count)
            throw new ArgumentException($"The template has {template.Count} points, not {points.Length}.", nameof(points));
        return LeastSquaresFit(points, template);
    }

    /// <summary>
    /// The least-squares similarity transform that takes <paramref name="from"/>[i] to
    /// <paramref name="to"/>[i]: the squared distances are summed where <paramref name="to"/> lies.
    /// </summary>
    public static AffineTransform LeastSquares(ReadOnlySpan<PointD> from, ReadOnlySpan<PointD> to)
    {
        if (from.Length != to.Length)
            throw new ArgumentException($"{from.Length} points cannot be fitted onto {to.Length}.", nameof(to));
        return LeastSquaresFit(from, PointTemplate.Of(to));
    }

    private static AffineTransform LeastSquaresFit(ReadOnlySpan<PointD> points, PointTemplate template)
    {
        var sourceX = new float[points.Length];
        var sourceY = new float[points.Length];
        for (var i = 0; i < points.Length; i++)
        {
            sourceX[i] = (float)points[i].X;
            sourceY[i] = (float)points[i].Y;
        }

        var centreX = PointTemplate.MeanOf(sourceX);
        var centreY = PointTemplate.MeanOf(sourceY);

        double a00 = 0, a01 = 0, a10 = 0, a11 = 0, varianceX = 0, varianceY = 0;
        for (var i = 0; i < points.Length; i++)
        {
            var sx = sourceX[i] - centreX;
            var sy = sourceY[i] - centreY;
            var dx = template.X[i] - template.CentreX;
            var dy = template.Y[i] - template.CentreY;
            a00 += dx * sx;
            a01 += dx * sy;
            a10 += dy * sx;
            a11 += dy * sy;
            varianceX += sx * sx;
            varianceY += sy * sy;
        }

        // scale * rotation = [[a, -b], [b, a]]: the 1/N of the covariance and of the variance cancel.
        var variance = varianceX + varianceY;
        var a = (a00 + a11) / variance;
        var b = (a10 - a01) / variance;
        return new AffineTransform(
            a, -b, template.CentreX - (a * centreX - b * centreY),
            b, a, template.CentreY - (b * centreX + a * centreY));
    }

    /// <summary>
    /// The pixels of an image that a <paramref name="width"/> x <paramref name="height"/> crop
    /// warped by <paramref name="imageToCrop"/> is taken from: the bounding rectangle of the crop's
    /// corners mapped back into the image, clipped to it.
    /// </summary>
    public static PixelRect SourceRegion(AffineTransform imageToCrop, int width, int height, int imageWidth, int imageHeight)
    {
        var toImage = imageToCrop.Inverse();
        double[] xs = [toImage.M02, toImage.M00 * width + toImage.M02, toImage.M01 * height + toImage.M02, toImage.M00 * width + toImage.M01 * height + toImage.M02];
        double[] ys = [toImage.M12, toImage.M10 * width + toImage.M12, toImage.M11 * height + toImage.M12, toImage.M10 * width + toImage.M11 * height + toImage.M12];
        var left = Math.Clamp((int)Math.Floor(xs.Min()), 0, imageWidth);
        var top = Math.Clamp((int)Math.Floor(ys.Min()), 0, imageHeight);
        var right = Math.Clamp((int)Math.Ceiling(xs.Max()), 0, imageWidth);
        var bottom = Math.Clamp((int)Math.Ceiling(ys.Max()), 0, imageHeight);
        return new PixelRect(left, top, right - left, bottom - top);
    }
}
