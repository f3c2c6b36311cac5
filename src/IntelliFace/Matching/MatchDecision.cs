using IntelliFace.Models;

namespace IntelliFace.Matching;

/// <summary>
/// Applies a pack's calibrated threshold. Kept apart from <see cref="Similarity"/> so that a number
/// is never confused with the verdict on it.
/// </summary>
public sealed class MatchDecision(PackThreshold threshold)
{
    public double Threshold => threshold.Cosine;

    public bool IsSamePerson(double similarity) => similarity >= threshold.Cosine;

    /// <summary>The candidates at or above the threshold, closest first; empty means "no match".</summary>
    public IReadOnlyList<Candidate> Accept(IReadOnlyList<Candidate> ranked) =>
        ranked.Where(c => IsSamePerson(c.Similarity)).ToArray();
}
