using IntelliFace.Detection;

namespace IntelliFace.Tests.YuNet;

public sealed class YuNetOutputDecoderTests
{
    [Fact]
    public void A_cell_decodes_to_grid_offsets_times_stride_and_exp_sizes_with_the_geometric_mean_score()
    {
        // A 2 x 2 grid of stride 16; the face is in cell (row 1, column 0).
        float[] cls = [0, 0, 0.64f, 0], obj = [0, 0, 1, 0];
        var bbox = new float[16];
        var kps = new float[40];
        float[] box = [0.5f, 0.25f, MathF.Log(2), 0];
        box.CopyTo(bbox, 2 * 4);
        float[] landmarks = [0, 0, 1, 0, 0.5f, 0.5f, 0, 1, 1, 1];
        landmarks.CopyTo(kps, 2 * 10);
        var candidates = new List<YuNetFace>();

        YuNetOutputDecoder.DecodeStride(cls, obj, bbox, kps, stride: 16, columns: 2, rows: 2, scoreThreshold: 0.5f, candidates);

        var face = Assert.Single(candidates);
        Assert.Equal(0.8f, face.Detection.Score);
        // Centre ((0 + 0.5) * 16, (1 + 0.25) * 16) = (8, 20); size (2 * 16, 1 * 16).
        Assert.Equal(new FaceBox(-8, 12, 32, 16), face.Detection.Box);
        Assert.Equal(
            new FivePointLandmarks(new(0, 16), new(16, 16), new(8, 24), new(0, 32), new(16, 32)),
            face.Landmarks);
    }

    [Fact]
    public void Scores_are_clamped_to_0_1_before_the_mean_and_cells_below_the_threshold_are_dropped()
    {
        float[] cls = [1.5f, 0.5f, -0.2f, 0.81f], obj = [1, 0.5f, 1, 0.81f];
        var candidates = new List<YuNetFace>();

        YuNetOutputDecoder.DecodeStride(cls, obj, new float[16], new float[40], stride: 8, columns: 2, rows: 2, scoreThreshold: 0.6f, candidates);

        Assert.Equal(new[] { 1f, 0.81f }, candidates.Select(c => c.Detection.Score));
    }

    [Fact]
    public void Nms_compares_boxes_truncated_to_integers_as_OpenCV_does()
    {
        // As floats the boxes overlap with IoU 0.311 (> 0.3); truncated to (0,0,10,10) and (7,0,10,10)
        // their IoU is 30 / 170 = 0.176, so OpenCV keeps both.
        var first = Face(0.95f, new FaceBox(0.99, 0, 10.99, 10));
        var second = Face(0.93f, new FaceBox(7, 0, 10, 10));
        var third = Face(0.91f, new FaceBox(0.5, 0.5, 10, 10));

        var kept = YuNetOutputDecoder.Suppress([second, third, first], scoreThreshold: 0.9f, iouThreshold: 0.3, maxFaces: 10);

        Assert.Equal(new[] { first, second }, kept);
    }

    [Fact]
    public void Outputs_that_do_not_fill_the_grid_are_refused()
    {
        var candidates = new List<YuNetFace>();

        Assert.Throws<ArgumentException>(() =>
            YuNetOutputDecoder.DecodeStride(new float[4], new float[4], new float[16], new float[40], stride: 8, columns: 3, rows: 2, scoreThreshold: 0.5f, candidates));
    }

    private static YuNetFace Face(float score, FaceBox box) =>
        new(new FaceDetection(score, box), new FivePointLandmarks(default, default, default, default, default));
}
