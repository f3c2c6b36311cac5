using System.Numerics.Tensors;
using IntelliFace.Embedding;
using IntelliFace.Tenancy;

namespace IntelliFace.Matching;

/// <summary>A subject and how similar its closest template is to a probe (cosine, higher is closer).</summary>
public readonly record struct Candidate(SubjectId Subject, double Similarity);

/// <summary>
/// The templates of one tenant and one model pack, held L2-normalised in one contiguous array so a
/// search is a run of dot products. Immutable after construction; safe to search from many threads.
/// Holds biometric data: <see cref="Dispose"/> wipes it.
/// </summary>
public sealed class Gallery : IDisposable
{
    private readonly float[] _normalised;
    private readonly SubjectId[] _owners;

    public Gallery(PackId pack, IEnumerable<(SubjectId Subject, FaceEmbedding Embedding)> templates)
    {
        Pack = pack;
        var list = templates.ToList();
        _normalised = new float[list.Count * FaceEmbedding.Dimension];
        _owners = new SubjectId[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            Similarity.RequireSamePack(pack, list[i].Embedding.Pack);
            Normalise(list[i].Embedding.Values, _normalised.AsSpan(i * FaceEmbedding.Dimension, FaceEmbedding.Dimension));
            _owners[i] = list[i].Subject;
        }
    }

    public PackId Pack { get; }

    public int TemplateCount => _owners.Length;

    /// <summary>Every subject with its best similarity to the probe, closest first, at most <paramref name="top"/>.</summary>
    public IReadOnlyList<Candidate> Rank(FaceEmbedding probe, int top)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        Similarity.RequireSamePack(Pack, probe.Pack);
        Span<float> query = stackalloc float[FaceEmbedding.Dimension];
        Normalise(probe.Values, query);

        var best = new Dictionary<SubjectId, double>();
        for (var i = 0; i < _owners.Length; i++)
        {
            double similarity = TensorPrimitives.Dot(query, _normalised.AsSpan(i * FaceEmbedding.Dimension, FaceEmbedding.Dimension));
            if (!best.TryGetValue(_owners[i], out var current) || similarity > current) best[_owners[i]] = similarity;
        }

        return best.Select(p => new Candidate(p.Key, p.Value))
            .OrderByDescending(c => c.Similarity)
            .ThenBy(c => c.Subject.Value, StringComparer.Ordinal)
            .Take(top)
            .ToArray();
    }

    public void Dispose() => Array.Clear(_normalised);

    private static void Normalise(ReadOnlySpan<float> values, Span<float> destination)
    {
        var norm = TensorPrimitives.Norm(values);
        if (norm <= 0 || !float.IsFinite(norm))
            throw new FaceException(FaceErrorCode.TemplateUnreadable, "An embedding has no direction (zero or non-finite norm).");
        TensorPrimitives.Divide(values, norm, destination);
    }
}
