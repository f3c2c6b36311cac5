using System.Diagnostics;
using System.Numerics.Tensors;
using System.Security.Cryptography;
using IntelliFace.Embedding;
using IntelliFace.Matching;
using IntelliFace.Recognition;

namespace IntelliFace.Bench.Lfw;

/// <summary>One held-out fold: the threshold fitted on the other folds and the accuracy it reached here.</summary>
internal sealed record FoldResult(int Fold, double Threshold, double Accuracy);

internal sealed record LfwResult(
    string PackName,
    string Pack,
    int Images,
    int Pairs,
    int Workers,
    TimeSpan EmbeddingTime,
    IReadOnlyDictionary<string, int> FailuresByCode,
    int PairsWithFailure,
    IReadOnlyList<FoldResult> Folds,
    double MeanAccuracy,
    double AccuracyStdDev,
    double FinalThreshold,
    double FinalThresholdAccuracy,
    double AccuracyWithoutFailures,
    TarAtFar TarAtFar,
    double EuclideanAccuracy,
    IReadOnlyList<RocPoint> Roc)
{
    public const double EuclideanThreshold = 0.6;
    public const double FalseAcceptRate = 1e-3;

    public int Failures => FailuresByCode.Values.Sum();
}

/// <summary>
/// LFW verification accuracy of a model pack, with the threshold fitted on held-out folds: every
/// distinct image is embedded once (in memory only; nothing derived from a photo is written
/// anywhere), then each pair is scored by cosine similarity.
/// </summary>
internal static class LfwBenchmark
{
    public static LfwResult Run(FacePipeline pipeline, LfwPairList list, int workers, TextWriter progress)
    {
        var embeddings = new FaceEmbedding?[list.Images.Count];
        var failures = new string?[list.Images.Count];
        try
        {
            var time = Embed(pipeline, list, workers, embeddings, failures, progress);
            var scored = list.Pairs.Select(p => Score(p, embeddings[p.ImageA], embeddings[p.ImageB])).ToArray();
            return Evaluate(pipeline.Pack.Manifest.Name, pipeline.Pack.Id.Value, list, scored, failures, workers, time);
        }
        finally
        {
            foreach (var embedding in embeddings) embedding?.Clear();
        }
    }

    private static TimeSpan Embed(FacePipeline pipeline, LfwPairList list, int workers,
        FaceEmbedding?[] embeddings, string?[] failures, TextWriter progress)
    {
        var done = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, list.Images.Count, new ParallelOptions { MaxDegreeOfParallelism = workers }, i =>
        {
            var photo = File.ReadAllBytes(Path.Combine(list.Folder, list.Images[i]));
            try
            {
                embeddings[i] = pipeline.Embed(photo, FaceSelection.Largest).Embedding;
            }
            catch (FaceException e)
            {
                failures[i] = e.Code;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(photo);
            }

            var count = Interlocked.Increment(ref done);
            if (count % 500 == 0 || count == list.Images.Count)
                progress.WriteLine($"lfw: {count}/{list.Images.Count} images embedded, {count / clock.Elapsed.TotalSeconds:F1} images/s");
        });
        return clock.Elapsed;
    }

    private static ScoredPair Score(LfwPair pair, FaceEmbedding? a, FaceEmbedding? b) =>
        a is null || b is null
            ? new ScoredPair(pair.Fold, pair.Same, double.NegativeInfinity, double.PositiveInfinity)
            : new ScoredPair(pair.Fold, pair.Same, Similarity.Cosine(a, b), TensorPrimitives.Distance(a.Values, b.Values));

    private static LfwResult Evaluate(string packName, string pack, LfwPairList list, ScoredPair[] scored, string?[] failures, int workers, TimeSpan time)
    {
        var folds = new List<FoldResult>();
        for (var fold = 0; fold < list.FoldCount; fold++)
        {
            var held = fold;
            var threshold = ThresholdCalibration.FitBestAccuracy(scored.Where(p => p.Fold != held).ToArray());
            folds.Add(new FoldResult(fold, threshold, ThresholdCalibration.Accuracy(scored.Where(p => p.Fold == held).ToArray(), threshold)));
        }

        var mean = folds.Average(f => f.Accuracy);
        // Population standard deviation over the folds, as the LFW protocol papers report it.
        var std = Math.Sqrt(folds.Average(f => (f.Accuracy - mean) * (f.Accuracy - mean)));
        var final = ThresholdCalibration.FitBestAccuracy(scored);

        return new LfwResult(
            PackName: packName,
            Pack: pack,
            Images: list.Images.Count,
            Pairs: scored.Length,
            Workers: workers,
            EmbeddingTime: time,
            FailuresByCode: failures.OfType<string>().GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count()),
            PairsWithFailure: scored.Count(p => p.Failed),
            Folds: folds,
            MeanAccuracy: mean,
            AccuracyStdDev: std,
            FinalThreshold: final,
            FinalThresholdAccuracy: ThresholdCalibration.Accuracy(scored, final),
            AccuracyWithoutFailures: ThresholdCalibration.Accuracy(scored.Where(p => !p.Failed).ToArray(), final),
            TarAtFar: ThresholdCalibration.TrueAcceptRateAt(scored, LfwResult.FalseAcceptRate),
            EuclideanAccuracy: ThresholdCalibration.EuclideanAccuracy(scored, LfwResult.EuclideanThreshold),
            Roc: ThresholdCalibration.Roc(scored));
    }
}
