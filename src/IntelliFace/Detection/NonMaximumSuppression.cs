namespace IntelliFace.Detection;

/// <summary>A box as corners (y before x, as TensorFlow orders them), in any unit.</summary>
internal readonly record struct CornerBox(float YMin, float XMin, float YMax, float XMax);

/// <summary>
/// Greedy non-maximum suppression as face-api 1.7.15 runs it after the SSD (its own
/// <c>nonMaxSuppression</c>, not tfjs's): candidates with <c>score &gt; scoreThreshold</c> (strict),
/// visited by descending score (ties keep index order); a candidate is dropped when its IoU with an
/// already selected box exceeds <c>iouThreshold</c>. IoU is computed in double from the float32
/// corners, with corners reordered if flipped and 0 for empty boxes.
/// </summary>
internal static class NonMaximumSuppression
{
    /// <returns>Indices of the selected boxes, best first, at most <paramref name="maxResults"/>.</returns>
    public static List<int> Select(ReadOnlySpan<CornerBox> boxes, ReadOnlySpan<float> scores, int maxResults, double iouThreshold, double scoreThreshold)
    {
        if (boxes.Length != scores.Length)
            throw new ArgumentException($"{boxes.Length} boxes but {scores.Length} scores.", nameof(scores));

        var candidates = new List<int>();
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] > scoreThreshold) candidates.Add(i);
        }

        var candidateScores = scores.ToArray();
        // List.Sort is unstable; the index tie-break keeps JavaScript's stable sort order.
        candidates.Sort((a, b) => candidateScores[b] != candidateScores[a] ? candidateScores[b].CompareTo(candidateScores[a]) : a.CompareTo(b));

        var limit = Math.Min(maxResults, boxes.Length);
        var selected = new List<int>();
        foreach (var candidate in candidates)
        {
            if (selected.Count >= limit) break;
            var suppressed = false;
            foreach (var kept in selected)
            {
                if (IntersectionOverUnion(boxes[candidate], boxes[kept]) > iouThreshold)
                {
                    suppressed = true;
                    break;
                }
            }

            if (!suppressed) selected.Add(candidate);
        }

        return selected;
    }

    public static double IntersectionOverUnion(CornerBox a, CornerBox b)
    {
        double yMinA = Math.Min(a.YMin, a.YMax), xMinA = Math.Min(a.XMin, a.XMax);
        double yMaxA = Math.Max(a.YMin, a.YMax), xMaxA = Math.Max(a.XMin, a.XMax);
        double yMinB = Math.Min(b.YMin, b.YMax), xMinB = Math.Min(b.XMin, b.XMax);
        double yMaxB = Math.Max(b.YMin, b.YMax), xMaxB = Math.Max(b.XMin, b.XMax);
        var areaA = (yMaxA - yMinA) * (xMaxA - xMinA);
        var areaB = (yMaxB - yMinB) * (xMaxB - xMinB);
        if (areaA <= 0 || areaB <= 0) return 0;
        var intersection = Math.Max(Math.Min(yMaxA, yMaxB) - Math.Max(yMinA, yMinB), 0.0)
                         * Math.Max(Math.Min(xMaxA, xMaxB) - Math.Max(xMinA, xMinB), 0.0);
        return intersection / (areaA + areaB - intersection);
    }
}
