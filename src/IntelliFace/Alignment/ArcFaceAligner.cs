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
    private static readonly PointTemplate Template = new(
        [38.2946f, 73.5318f, 56.0252f, 41.5493f, 70.7299f],
        [51.6963f, 51.5014f, 71.7366f, 92.3655f, 92.2041f],
        CentreX: 56.0262f,
        CentreY: 71.9008f);

    /// <summary>The 112 x 112 aligned crop; the caller owns (and disposes) it.</summary>
    public static RgbImage Align(RgbImage image, FivePointLandmarks landmarks) =>
        AffineWarp.Bilinear(image, TransformFor(landmarks), CropSize, CropSize);

    /// <summary>The pixels of the image the aligned crop is taken from: the bounding rectangle of the rotated square, clipped to the image.</summary>
    public static PixelRect RegionFor(FivePointLandmarks landmarks, int imageWidth, int imageHeight) =>
        SimilarityTransform.SourceRegion(TransformFor(landmarks), CropSize, CropSize, imageWidth, imageHeight);

    /// <summary>The similarity transform from image pixels to the crop, fitted as OpenCV fits it (<see cref="SimilarityTransform.LeastSquares"/>).</summary>
    public static AffineTransform TransformFor(FivePointLandmarks landmarks) =>
        SimilarityTransform.LeastSquares(landmarks.ToArray(), Template);
}
