namespace IntelliFace.Detection;

/// <summary>A face YuNet found: its detection (score, box) and its five landmarks, in pixels of the image it was given.</summary>
public sealed record YuNetFace(FaceDetection Detection, FivePointLandmarks Landmarks);

/// <summary>
/// Turns YuNet's raw outputs into faces as OpenCV's <c>FaceDetectorYN</c> (4.x) does. For each
/// stride S of 8, 16 and 32 the network gives, per cell of the input's grid of S x S cells (row-major): class and objectness scores, a box (centre offset in cells, log size
/// in strides) and five landmarks (offsets in cells). The score is sqrt(cls * obj), each clamped to
/// [0, 1]. Candidates with a score below the threshold are dropped; the rest go through greedy NMS
/// on their boxes truncated to integers, as OpenCV's <c>NMSBoxes</c> on <c>Rect2i</c> runs it.
/// </summary>
/// <remarks>All arithmetic on the outputs stays in float32, as in OpenCV's decoder.</remarks>
internal static class YuNetOutputDecoder
{
    public static readonly int[] Strides = [8, 16, 32];

    /// <summary>
    /// Adds the candidates of one stride to <paramref name="candidates"/>, from its outputs
    /// <c>cls</c> and <c>obj</c> [cells], <c>bbox</c> [cells, 4] and <c>kps</c> [cells, 10].
    /// </summary>
    /// <param name="columns">The grid's columns: the network input's width / stride.</param>
    /// <param name="rows">The grid's rows: the network input's height / stride.</param>
    public static void DecodeStride(
        ReadOnlySpan<float> cls, ReadOnlySpan<float> obj, ReadOnlySpan<float> bbox, ReadOnlySpan<float> kps,
        int stride, int columns, int rows, float scoreThreshold, List<YuNetFace> candidates)
    {
        var cells = columns * rows;
        if (cls.Length != cells || obj.Length != cells || bbox.Length != 4 * cells || kps.Length != 10 * cells)
            throw new ArgumentException($"The outputs of stride {stride} do not match a {columns} x {rows} grid.", nameof(cls));

        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var cell = r * columns + c;
                var score = MathF.Sqrt(Math.Clamp(cls[cell], 0f, 1f) * Math.Clamp(obj[cell], 0f, 1f));
                if (score < scoreThreshold) continue;

                var box = bbox.Slice(cell * 4, 4);
                var centreX = (c + box[0]) * stride;
                var centreY = (r + box[1]) * stride;
                var width = MathF.Exp(box[2]) * stride;
                var height = MathF.Exp(box[3]) * stride;
                var left = centreX - width / 2f;
                var top = centreY - height / 2f;

                var landmarkOffsets = kps.Slice(cell * 10, 10);
                candidates.Add(new YuNetFace(
                    new FaceDetection(score, new FaceBox(left, top, width, height)),
                    new FivePointLandmarks(
                        Landmark(landmarkOffsets, 0, c, r, stride), Landmark(landmarkOffsets, 1, c, r, stride), Landmark(landmarkOffsets, 2, c, r, stride),
                        Landmark(landmarkOffsets, 3, c, r, stride), Landmark(landmarkOffsets, 4, c, r, stride))));
            }
        }
    }

    private static PointD Landmark(ReadOnlySpan<float> offsets, int n, int column, int row, int stride) =>
        new((offsets[2 * n] + column) * stride, (offsets[2 * n + 1] + row) * stride);

    /// <summary>The candidates that survive NMS, best first (equal scores keep decoding order), at most <paramref name="maxFaces"/>.</summary>
    public static IReadOnlyList<YuNetFace> Suppress(IReadOnlyList<YuNetFace> candidates, float scoreThreshold, double iouThreshold, int maxFaces)
    {
        // OpenCV skips NMS for a single candidate.
        if (candidates.Count < 2) return candidates.ToArray();

        var boxes = new CornerBox[candidates.Count];
        var scores = new float[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            // OpenCV runs NMS on cv::Rect2i(int(x), int(y), int(w), int(h)): each value truncated toward zero.
            var box = candidates[i].Detection.Box;
            int x = (int)(float)box.X, y = (int)(float)box.Y, w = (int)(float)box.Width, h = (int)(float)box.Height;
            boxes[i] = new CornerBox(y, x, y + h, x + w);
            scores[i] = candidates[i].Detection.Score;
        }

        // Candidates scoring exactly the threshold pass the decoder but not NMSBoxes (strict): as in OpenCV.
        var kept = NonMaximumSuppression.Select(boxes, scores, maxFaces, iouThreshold, scoreThreshold);
        return kept.Select(i => candidates[i]).ToArray();
    }
}
