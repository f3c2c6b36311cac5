using IntelliFace.Detection;

namespace IntelliFace.Tests.FaceApi;

public sealed class SsdNonMaximumSuppressionTests
{
    private static readonly CornerBox Unit = new(0, 0, 1, 1);

    [Fact]
    public void A_box_overlapping_a_better_one_by_more_than_half_is_suppressed_and_by_exactly_half_is_kept()
    {
        CornerBox[] boxes = [Unit, new(0, 0, 1, 0.5f), new(0, 0, 1, 0.75f)];
        float[] scores = [0.9f, 0.8f, 0.85f];

        // IoU with the unit box: 0.5 for box 1, 0.75 for box 2.
        Assert.Equal([0, 1], NonMaximumSuppression.Select(boxes, scores, maxResults: 100, iouThreshold: 0.5, scoreThreshold: 0.5));
    }

    [Fact]
    public void Only_scores_strictly_above_the_threshold_are_candidates()
    {
        CornerBox[] boxes = [Unit, new(2, 2, 3, 3), new(4, 4, 5, 5)];
        float[] scores = [0.5f, 0.75f, 0.25f];

        Assert.Equal([1], NonMaximumSuppression.Select(boxes, scores, maxResults: 100, iouThreshold: 0.5, scoreThreshold: 0.5));
    }

    [Fact]
    public void Results_come_best_first_with_ties_in_index_order_and_stop_at_max_results()
    {
        CornerBox[] boxes = [Unit, new(2, 2, 3, 3), new(4, 4, 5, 5), new(6, 6, 7, 7)];
        float[] scores = [0.6f, 0.9f, 0.6f, 0.7f];

        Assert.Equal([1, 3, 0], NonMaximumSuppression.Select(boxes, scores, maxResults: 3, iouThreshold: 0.5, scoreThreshold: 0.5));
    }

    [Fact]
    public void Flipped_corners_are_reordered_and_empty_boxes_overlap_nothing()
    {
        Assert.Equal(1.0, NonMaximumSuppression.IntersectionOverUnion(Unit, new CornerBox(1, 1, 0, 0)));
        Assert.Equal(0.0, NonMaximumSuppression.IntersectionOverUnion(Unit, new CornerBox(0, 0, 0, 1)));
    }
}
