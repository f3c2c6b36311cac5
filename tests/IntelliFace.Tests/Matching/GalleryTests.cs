using IntelliFace.Embedding;
using IntelliFace.Matching;
using IntelliFace.Models;
using IntelliFace.Tenancy;

namespace IntelliFace.Tests.Matching;

public sealed class GalleryTests
{
    private static readonly PackId PackA = new("pack-a@1");
    private static readonly PackId PackB = new("pack-b@1");

    private static FaceEmbedding Axis(PackId pack, int axis, float scale = 1f, int secondAxis = -1, float second = 0f)
    {
        var values = new float[FaceEmbedding.Dimension];
        values[axis] = scale;
        if (secondAxis >= 0) values[secondAxis] = second;
        return new FaceEmbedding(pack, values);
    }

    [Fact]
    public void Rank_orders_subjects_by_their_best_template_and_ignores_embedding_length()
    {
        var gallery = new Gallery(PackA,
        [
            (new SubjectId("alice"), Axis(PackA, 0, scale: 5f)),
            (new SubjectId("alice"), Axis(PackA, 1)),
            (new SubjectId("bob"), Axis(PackA, 0, 3f, secondAxis: 1, second: 4f)),
            (new SubjectId("carol"), Axis(PackA, 2)),
        ]);

        var ranked = gallery.Rank(Axis(PackA, 0, scale: 0.1f), top: 3);

        Assert.Equal(["alice", "bob", "carol"], ranked.Select(c => c.Subject.Value));
        Assert.Equal(1.0, ranked[0].Similarity, 6);
        Assert.Equal(0.6, ranked[1].Similarity, 6);
        Assert.Equal(0.0, ranked[2].Similarity, 6);
        Assert.Equal(2, gallery.Rank(Axis(PackA, 0), top: 2).Count);
    }

    [Fact]
    public void A_probe_of_another_pack_is_refused_with_model_mismatch()
    {
        var gallery = new Gallery(PackA, [(new SubjectId("alice"), Axis(PackA, 0))]);

        var error = Assert.Throws<FaceException>(() => gallery.Rank(Axis(PackB, 0), top: 1));

        Assert.Equal(FaceErrorCode.ModelMismatch, error.Code);
        Assert.Equal(FaceErrorCode.ModelMismatch, Assert.Throws<FaceException>(() => Similarity.Cosine(Axis(PackA, 0), Axis(PackB, 0))).Code);
        Assert.Equal(FaceErrorCode.ModelMismatch, Assert.Throws<FaceException>(() => new Gallery(PackA, [(new SubjectId("x"), Axis(PackB, 0))])).Code);
    }

    [Fact]
    public void The_decision_keeps_only_candidates_at_or_above_the_threshold()
    {
        var decision = new MatchDecision(new PackThreshold(0.6, "test"));
        var ranked = new[] { new Candidate(new SubjectId("a"), 0.9), new Candidate(new SubjectId("b"), 0.6), new Candidate(new SubjectId("c"), 0.59999) };

        Assert.Equal(["a", "b"], decision.Accept(ranked).Select(c => c.Subject.Value));
        Assert.Empty(decision.Accept([new Candidate(new SubjectId("c"), 0.2)]));
    }
}
