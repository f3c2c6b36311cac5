using IntelliFace.Alignment;

namespace IntelliFace.Tests.FaceApi;

/// <summary>Steps 3, 5 and 6 of the golden README on all 34 golden faces, from face-api's own numbers.</summary>
public sealed class FaceApiGeometryTests
{
    [Fact]
    public void The_landmark_crop_of_every_golden_box_is_face_apis()
    {
        foreach (var (image, index, face) in FaceApiGolden.AllFaces)
        {
            var crop = Landmarks68.CropFor(face.Box, image.Width, image.Height);

            Assert.True(face.LandmarkCrop == crop, $"{image.File} face {index}: expected {face.LandmarkCrop}, got {crop}");
        }
    }

    [Fact]
    public void Decoding_the_golden_landmark_outputs_gives_face_apis_landmarks_exactly()
    {
        foreach (var (image, index, face) in FaceApiGolden.AllFaces)
        {
            var landmarks = Landmarks68.Decode(face.LandmarkNetOutput, face.LandmarkCrop, face.Box);

            Assert.Equal(face.Landmarks, landmarks.Positions);
            Assert.Equal(face.LandmarkNetOutput, landmarks.RawOutput.ToArray());
        }
    }

    [Fact]
    public void The_dlib_rectangles_from_the_golden_landmarks_are_face_apis()
    {
        foreach (var (image, index, face) in FaceApiGolden.AllFaces)
        {
            var landmarks = Landmarks68.Decode(face.LandmarkNetOutput, face.LandmarkCrop, face.Box);

            var rects = DlibFaceAligner.Align(landmarks, image.Width, image.Height);

            Assert.True(face.DescriptorAlignRect == rects.AlignRect, $"{image.File} face {index}: align rect {rects.AlignRect}, expected {face.DescriptorAlignRect}");
            Assert.True(face.DescriptorCrop == rects.Crop, $"{image.File} face {index}: crop {rects.Crop}, expected {face.DescriptorCrop}");
        }
    }

    [Fact]
    public void A_dlib_square_past_the_image_border_is_clipped_for_slicing()
    {
        // A 112 x 112 crop at (100, 100): eyes at (128, 114) and (184, 114), mouth at (156, 170).
        // Eye-to-mouth sqrt(28^2 + 56^2) = 62.61 -> size floor(139.13) = 139; centre (156, 132.67)
        // -> x = floor(156 - 69.5) = 86, y = floor(132.67 - 59.77) = 72.
        var raw = new float[136];
        SetPoints(raw, 36, 6, 0.25f, 0.125f);
        SetPoints(raw, 42, 6, 0.75f, 0.125f);
        SetPoints(raw, 48, 20, 0.5f, 0.625f);
        var landmarks = Landmarks68.Decode(raw, new Detection.PixelRect(100, 100, 112, 112), new Detection.FaceBox(100, 100, 112, 112));

        var rects = DlibFaceAligner.Align(landmarks, imageWidth: 150, imageHeight: 250);

        Assert.Equal(new Detection.PixelRect(86, 72, 139, 139), rects.AlignRect);
        Assert.Equal(new Detection.PixelRect(86, 72, 150 - 86, 139), rects.Crop);
    }

    private static void SetPoints(float[] raw, int first, int count, float x, float y)
    {
        for (var i = first; i < first + count; i++)
        {
            raw[2 * i] = x;
            raw[2 * i + 1] = y;
        }
    }
}
