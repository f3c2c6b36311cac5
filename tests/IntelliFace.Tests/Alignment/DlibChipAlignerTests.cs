using IntelliFace.Alignment;
using IntelliFace.Detection;
using IntelliFace.Imaging;

namespace IntelliFace.Tests.Alignment;

/// <summary>The geometry of dlib's 150 x 150 face chip on synthetic faces whose landmarks are known exactly.</summary>
public sealed class DlibChipAlignerTests
{
    private const double Tolerance = 1e-3;

    // A face placed in a photo: rotated 30 degrees, 1.6 times the chip's size, shifted.
    private static readonly AffineTransform ChipToPhoto = Similarity(degrees: 30, scale: 1.6, shiftX: 160.25, shiftY: 70.5);

    [Fact]
    public void The_template_is_dlibs_mean_face_with_padding_0_25_on_the_chips_pixel_grid()
    {
        // (0.25 + m) / 1.5 * 149 for the mean face's nose tip (iBUG 30: 0.490127, 0.515625).
        AssertNear(new PointD(73.519282, 76.052083), DlibChipAligner.TemplatePoint(30), 1e-6);
        // The eye centres (means of iBUG 36-41 and 42-47) are level and 52.57 px apart.
        AssertNear(new PointD(47.232189, 46.288373), Centre(DlibChipAligner.TemplatePoint, 36, 6), 1e-6);
        AssertNear(new PointD(99.806292, 46.288373), Centre(DlibChipAligner.TemplatePoint, 42, 6), 1e-6);
        Assert.Equal(33, DlibChipAligner.FittedPoints.Length);
    }

    [Fact]
    public void A_face_with_known_landmarks_maps_them_onto_the_template_points()
    {
        var landmarks = SyntheticLandmarks(ChipToPhoto);

        var toChip = DlibChipAligner.TransformFor(landmarks);

        for (var i = 17; i < Landmarks68.PointCount; i++)
            AssertNear(DlibChipAligner.TemplatePoint(i), Apply(toChip, landmarks[i]), Tolerance);
        // The transform is the face's placement undone: its scale is 1 / 1.6 and its rotation -30 degrees.
        Assert.Equal(1 / 1.6, Math.Sqrt(toChip.M00 * toChip.M00 + toChip.M10 * toChip.M10), 1e-6);
        Assert.Equal(-30, Math.Atan2(toChip.M10, toChip.M00) * 180 / Math.PI, 1e-4);
    }

    [Fact]
    public void The_points_dlib_leaves_out_do_not_move_the_chip()
    {
        var landmarks = SyntheticLandmarks(ChipToPhoto);
        var moved = landmarks.ToArray();
        // The jaw (0-16), the eyebrows (17-26) and the lower lip (55-59, 65-67).
        int[] ignored = [.. Enumerable.Range(0, 27), .. Enumerable.Range(55, 5), .. Enumerable.Range(65, 3)];
        foreach (var i in ignored) moved[i] = new PointD(moved[i].X + 17 + i, moved[i].Y - 9);

        Assert.Equal(DlibChipAligner.TransformFor(landmarks), DlibChipAligner.TransformFor(moved));
        Assert.Equal(Enumerable.Range(0, 68).Except(ignored), DlibChipAligner.FittedPoints);
    }

    [Fact]
    public void A_tilted_face_in_a_photo_comes_out_upright_where_the_template_puts_it()
    {
        // Bright discs at the template's eye centres and mouth corners on a black chip, placed in a
        // photo tilted by 30 degrees.
        PointD[] features = [Centre(DlibChipAligner.TemplatePoint, 36, 6), Centre(DlibChipAligner.TemplatePoint, 42, 6), DlibChipAligner.TemplatePoint(48), DlibChipAligner.TemplatePoint(54)];
        using var upright = Discs(DlibChipAligner.ChipSize, features, radius: 4);
        using var photo = AffineWarp.Bilinear(upright, ChipToPhoto, 400, 400);
        var tiltedEyes = features.Take(2).Select(f => Apply(ChipToPhoto, f)).ToArray();
        Assert.Equal(30, Math.Atan2(tiltedEyes[1].Y - tiltedEyes[0].Y, tiltedEyes[1].X - tiltedEyes[0].X) * 180 / Math.PI, 1e-9);

        using var chip = DlibChipAligner.Align(photo, SyntheticLandmarks(ChipToPhoto));

        Assert.Equal(DlibChipAligner.ChipSize, chip.Width);
        Assert.Equal(DlibChipAligner.ChipSize, chip.Height);
        foreach (var feature in features)
        {
            AssertNear(BrightCentroidNear(upright, feature, radius: 8), BrightCentroidNear(chip, feature, radius: 8), 0.05);
            AssertNear(feature, BrightCentroidNear(chip, feature, radius: 8), 0.25);
        }
        Assert.Equal(0, PixelsOutsideDiscs(chip, features, radius: 6));
    }

    [Fact]
    public void The_region_is_the_rotated_chips_bounding_rectangle_in_the_photo()
    {
        var landmarks = SyntheticLandmarks(ChipToPhoto);

        var region = DlibChipAligner.RegionFor(landmarks, 400, 400);

        // The chip's corners in the photo, its 150 px side 240 px there: x from 160.25 - 240 sin 30
        // = 40.25 to 160.25 + 240 cos 30 = 368.09, y from 70.5 to 398.35 (70.5 + 240 (sin 30 + cos 30)).
        Assert.Equal(new PixelRect(40, 70, 369 - 40, 399 - 70), region);
        Assert.Equal(new PixelRect(40, 70, 360 - 40, 300 - 70), DlibChipAligner.RegionFor(landmarks, 360, 300));
    }

    [Fact]
    public void A_least_squares_similarity_recovers_an_exact_placement_in_either_direction()
    {
        var chipPoints = DlibChipAligner.FittedPoints.Select(DlibChipAligner.TemplatePoint).ToArray();
        var photoPoints = chipPoints.Select(p => Apply(ChipToPhoto, p)).ToArray();

        var forward = SimilarityTransform.LeastSquares(chipPoints, photoPoints);
        var backward = SimilarityTransform.LeastSquares(photoPoints, chipPoints);

        foreach (var (chip, photo) in chipPoints.Zip(photoPoints))
        {
            AssertNear(photo, Apply(forward, chip), Tolerance);
            AssertNear(chip, Apply(backward, photo), Tolerance);
        }
    }

    private static AffineTransform Similarity(double degrees, double scale, double shiftX, double shiftY)
    {
        var angle = degrees * Math.PI / 180;
        double cos = scale * Math.Cos(angle), sin = scale * Math.Sin(angle);
        return new AffineTransform(cos, -sin, shiftX, sin, cos, shiftY);
    }

    /// <summary>68 landmarks: the template's points placed by <paramref name="chipToPhoto"/>, and a jaw dlib does not use.</summary>
    private static PointD[] SyntheticLandmarks(AffineTransform chipToPhoto) =>
        Enumerable.Range(0, Landmarks68.PointCount)
            .Select(i => Apply(chipToPhoto, i >= 17 ? DlibChipAligner.TemplatePoint(i) : new PointD(10 + 8 * i, 120 + i % 5)))
            .ToArray();

    private static PointD Apply(AffineTransform transform, PointD point)
    {
        var (x, y) = transform.Apply(point.X, point.Y);
        return new PointD(x, y);
    }

    private static PointD Centre(Func<int, PointD> point, int first, int count)
    {
        var points = Enumerable.Range(first, count).Select(point).ToArray();
        return new PointD(points.Average(p => p.X), points.Average(p => p.Y));
    }

    private static RgbImage Discs(int size, IEnumerable<PointD> centres, double radius)
    {
        var image = new RgbImage(size, size);
        foreach (var centre in centres)
            for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
                if ((x - centre.X) * (x - centre.X) + (y - centre.Y) * (y - centre.Y) <= radius * radius)
                    image.Pixels.Slice((y * size + x) * 3, 3).Fill(255);
        return image;
    }

    /// <summary>The brightness-weighted centroid of the pixels within <paramref name="radius"/> of <paramref name="near"/>.</summary>
    private static PointD BrightCentroidNear(RgbImage image, PointD near, double radius)
    {
        double sum = 0, sumX = 0, sumY = 0;
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
        {
            if ((x - near.X) * (x - near.X) + (y - near.Y) * (y - near.Y) > radius * radius) continue;
            double value = image.Pixels[(y * image.Width + x) * 3];
            sum += value;
            sumX += value * x;
            sumY += value * y;
        }

        return new PointD(sumX / sum, sumY / sum);
    }

    private static int PixelsOutsideDiscs(RgbImage image, PointD[] centres, double radius)
    {
        var count = 0;
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
            if (image.Pixels[(y * image.Width + x) * 3] != 0
                && centres.All(c => (x - c.X) * (x - c.X) + (y - c.Y) * (y - c.Y) > radius * radius))
                count++;
        return count;
    }

    private static void AssertNear(PointD expected, PointD actual, double tolerance) =>
        Assert.True(Math.Abs(expected.X - actual.X) <= tolerance && Math.Abs(expected.Y - actual.Y) <= tolerance,
            $"expected {expected} within {tolerance} px, got {actual}");
}
