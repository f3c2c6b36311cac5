namespace IntelliFace.Bench.Lfw;

/// <summary>
/// A labelled pair after embedding. When either photo gave no embedding (no face found, ...),
/// <see cref="Cosine"/> is -infinity and <see cref="Euclidean"/> +infinity, so the pair reads as
/// "not the same person" at every threshold.
/// </summary>
internal readonly record struct ScoredPair(int Fold, bool Same, double Cosine, double Euclidean)
{
    public bool Failed => double.IsNegativeInfinity(Cosine);
}
