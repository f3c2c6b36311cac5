using IntelliFace.Detection;
using IntelliFace.Imaging;

namespace IntelliFace.Alignment;

/// <summary>
/// The 5-point alignment of the SFace (and ArcFace) family, as OpenCV's
/// <c>FaceRecognizerSF::alignCrop</c> does it: the least-squares similarity transform (rotation,
/// uniform scale, translation; no reflection) from the five landmarks to a fixed template in a
/// 112 x 112 crop, then a bilinear warp.
/// </summary>
internal static class ArcFaceAligner
{
    public const int CropSize = 112;

    // The template (right eye, left eye, nose tip, right and left mouth corners), and the centroid
    // OpenCV uses for it: its own rounded constant, not the mean of the points.
    private static readonly float[] TemplateX = [38.2946f, 73.5318f, 56.0252f, 41.5493f, 70.7299f];
    private static readonly float[] TemplateY = [51.6963f, 51.5014f, 71.7366f, 92.3655f, 92.2041f];
    private const float TemplateCentreX = 56.0262f;
    private const float TemplateCentreY = 71.9008f;

    /// <summary>The 112 x 112 aligned crop; the caller owns (and disposes) it.</summary>
    public static RgbImage Align(RgbImage image, FivePointLandmarks landmarks) =>
        AffineWarp.Bilinear(image, TransformFor(landmarks), CropSize, CropSize);

    /// <summary>The pixels of the image the aligned crop is taken from: the bounding rectangle of the rotated square, clipped to the image.</summary>
    public static PixelRect RegionFor(FivePointLandmarks landmarks, int imageWidth, int imageHeight)
    {
        var toImage = TransformFor(landmarks).Inverse();
        double[] xs = [toImage.M02, toImage.M00 * CropSize + toImage.M02, toImage.M01 * CropSize + toImage.M02, toImage.M00 * CropSize + toImage.M01 * CropSize + toImage.M02];
        double[] ys = [toImage.M12, toImage.M10 * CropSize + toImage.M12, toImage.M11 * CropSize + toImage.M12, toImage.M10 * CropSize + toImage.M11 * CropSize + toImage.M12];
        var left = Math.Clamp((int)Math.Floor(xs.Min()), 0, imageWidth);
        var top = Math.Clamp((int)Math.Floor(ys.Min()), 0, imageHeight);
        var right = Math.Clamp((int)Math.Ceiling(xs.Max()), 0, imageWidth);
        var bottom = Math.Clamp((int)Math.Ceiling(ys.Max()), 0, imageHeight);
        return new PixelRect(left, top, right - left, bottom - top);
    }

    /// <summary>
    /// The similarity transform from image pixels to the crop. OpenCV obtains it from an SVD
    /// (Umeyama's method); for two dimensions its rotation and scale have the closed form used here,
    /// which equals Umeyama's with the reflection excluded. Points, means and products are float32
    /// as in OpenCV, sums double.
    /// </summary>
    public static AffineTransform TransformFor(FivePointLandmarks landmarks)
    {
        var points = landmarks.ToArray();
        var sourceX = new float[FivePointLandmarks.Count];
        var sourceY = new float[FivePointLandmarks.Count];
        for (var i = 0; i < points.Length; i++)
        {
            sourceX[i] = (float)points[i].X;
            sourceY[i] = (float)points[i].Y;
        }

        var centreX = (sourceX[0] + sourceX[1] + sourceX[2] + sourceX[3] + sourceX[4]) / 5;
        var centreY = (sourceY[0] + sourceY[1] + sourceY[2] + sourceY[3] + sourceY[4]) / 5;

        double a00 = 0, a01 = 0, a10 = 0, a11 = 0, varianceX = 0, varianceY = 0;
        for (var i = 0; i < points.Length; i++)
        {
            var sx = sourceX[i] - centreX;
            var sy = sourceY[i] - centreY;
            var dx = TemplateX[i] - TemplateCentreX;
            var dy = TemplateY[i] - TemplateCentreY;
            a00 += dx * sx;
            a01 += dx * sy;
            a10 += dy * sx;
            a11 += dy * sy;
            varianceX += sx * sx;
            varianceY += sy * sy;
        }

        // scale * rotation = [[a, -b], [b, a]]: the 1/5 of the covariance and of the variance cancel.
        var variance = varianceX + varianceY;
        var a = (a00 + a11) / variance;
        var b = (a10 - a01) / variance;
        return new AffineTransform(
            a, -b, TemplateCentreX - (a * centreX - b * centreY),
            b, a, TemplateCentreY - (b * centreX + a * centreY));
    }
}
