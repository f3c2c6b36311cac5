namespace IntelliFace.Bench.Lfw;

/// <summary>
/// Threshold fitting for the rule "same person when cosine similarity &gt;= threshold", and the
/// figures that judge it. Pairs whose similarity is -infinity (an embedding failed) count as
/// "not same" at every threshold.
/// </summary>
internal static class ThresholdCalibration
{
    /// <summary>
    /// The threshold with the highest accuracy on <paramref name="pairs"/>. Candidates are the midpoints
    /// between neighbouring distinct (finite) similarity values; when several candidates reach the best
    /// accuracy, the middle one of them is taken, so the choice does not lean to either end of a plateau.
    /// </summary>
    public static double FitBestAccuracy(IReadOnlyList<ScoredPair> pairs)
    {
        var sorted = pairs.OrderBy(p => p.Cosine).ToArray();
        var sameTotal = sorted.Count(p => p.Same);

        // A threshold between sorted[k - 1] and sorted[k] accepts sorted[k..]: correct are the
        // "same" pairs from k on and the "not same" pairs before k.
        var best = new List<double>();
        var bestCorrect = -1;
        int notSameBelow = 0, sameBelow = 0;
        for (var k = 1; k < sorted.Length; k++)
        {
            if (sorted[k - 1].Same) sameBelow++;
            else notSameBelow++;
            double lower = sorted[k - 1].Cosine, upper = sorted[k].Cosine;
            if (double.IsNegativeInfinity(lower) || lower == upper) continue;

            var correct = notSameBelow + (sameTotal - sameBelow);
            if (correct < bestCorrect) continue;
            if (correct > bestCorrect)
            {
                bestCorrect = correct;
                best.Clear();
            }
            best.Add((lower + upper) / 2);
        }

        if (best.Count == 0) throw new InvalidOperationException("Fitting a threshold needs at least two distinct similarities.");
        return best[(best.Count - 1) / 2];
    }

    /// <summary>The share of pairs the rule "same when cosine &gt;= threshold" labels correctly.</summary>
    public static double Accuracy(IReadOnlyList<ScoredPair> pairs, double threshold) =>
        (double)pairs.Count(p => p.Cosine >= threshold == p.Same) / pairs.Count;

    /// <summary>The share of pairs face-api's rule "same when Euclidean distance &lt; threshold" labels correctly.</summary>
    public static double EuclideanAccuracy(IReadOnlyList<ScoredPair> pairs, double threshold) =>
        (double)pairs.Count(p => p.Euclidean < threshold == p.Same) / pairs.Count;

    /// <summary>
    /// The ROC curve of the rule "same when cosine similarity &gt;= threshold" over every threshold:
    /// one point per distinct similarity, from accepting nothing to accepting every pair that has
    /// an embedding (pairs with a failure are never accepted, so the curve may end below (1, 1)).
    /// </summary>
    public static IReadOnlyList<RocPoint> Roc(IReadOnlyList<ScoredPair> pairs)
    {
        var sorted = pairs.Where(p => !p.Failed).OrderByDescending(p => p.Cosine).ToArray();
        double genuine = pairs.Count(p => p.Same), impostors = pairs.Count(p => !p.Same);
        var points = new List<RocPoint> { new(0, 0) };
        int trueAccepts = 0, falseAccepts = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (sorted[i].Same) trueAccepts++;
            else falseAccepts++;
            if (i + 1 < sorted.Length && sorted[i + 1].Cosine == sorted[i].Cosine) continue;
            points.Add(new RocPoint(falseAccepts / impostors, trueAccepts / genuine));
        }

        return points;
    }

    /// <summary>
    /// The true accept rate at a false accept rate of at most <paramref name="falseAcceptRate"/>: the
    /// threshold admits at most floor(rate * impostor pairs) impostors (accept when similarity is
    /// strictly above <see cref="TarAtFar.Threshold"/>, the next impostor's similarity).
    /// </summary>
    public static TarAtFar TrueAcceptRateAt(IReadOnlyList<ScoredPair> pairs, double falseAcceptRate)
    {
        var impostors = pairs.Where(p => !p.Same).Select(p => p.Cosine).OrderDescending().ToArray();
        var genuine = pairs.Where(p => p.Same).Select(p => p.Cosine).ToArray();
        var allowed = (int)Math.Floor(falseAcceptRate * impostors.Length + 1e-9);
        var threshold = allowed < impostors.Length ? impostors[allowed] : double.NegativeInfinity;
        var falseAccepts = impostors.Count(s => s > threshold);
        var trueAccepts = genuine.Count(s => s > threshold);
        return new TarAtFar(falseAcceptRate, threshold, (double)trueAccepts / genuine.Length,
            falseAccepts, impostors.Length, trueAccepts, genuine.Length);
    }
}

/// <summary>One point of a ROC curve: the share of impostor pairs accepted and of genuine pairs accepted at one threshold.</summary>
internal readonly record struct RocPoint(double FalseAcceptRate, double TrueAcceptRate);

/// <param name="Threshold">Accept when cosine similarity is strictly above this.</param>
internal sealed record TarAtFar(
    double TargetFar, double Threshold, double Tar, int FalseAccepts, int Impostors, int TrueAccepts, int Genuine)
{
    public double AchievedFar => (double)FalseAccepts / Impostors;
}
