using System.Numerics.Tensors;
using IntelliFace.Embedding;

namespace IntelliFace.Matching;

/// <summary>Cosine similarity of embeddings, which equals the dot product of their L2-normalised forms.</summary>
public static class Similarity
{
    /// <summary>
    /// Cosine similarity in [-1, 1]. Refuses embeddings of different model packs: their spaces are
    /// unrelated, and a number computed across them would look meaningful while meaning nothing.
    /// </summary>
    public static double Cosine(FaceEmbedding a, FaceEmbedding b)
    {
        RequireSamePack(a.Pack, b.Pack);
        return TensorPrimitives.CosineSimilarity(a.Values, b.Values);
    }

    public static void RequireSamePack(PackId expected, PackId actual)
    {
        if (expected != actual)
            throw new FaceException(FaceErrorCode.ModelMismatch,
                $"Embeddings of model pack '{actual}' cannot be compared with embeddings of '{expected}'; re-enroll with one pack.");
    }
}
