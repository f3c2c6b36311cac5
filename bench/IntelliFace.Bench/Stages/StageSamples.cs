using System.Collections.Concurrent;

namespace IntelliFace.Bench.Stages;

/// <summary>The stages one photo goes through; <see cref="Total"/> is decode to the last embedding (sealing excluded).</summary>
internal enum Stage
{
    Decode,
    Detect,
    Landmarks,
    Embed,
    Seal,
    Total,
}

/// <summary>Timings in milliseconds, collected from any number of threads.</summary>
internal sealed class StageSamples
{
    private readonly ConcurrentDictionary<Stage, ConcurrentQueue<double>> _byStage = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> _totalByImage = new(StringComparer.Ordinal);

    public void Add(Stage stage, double milliseconds) =>
        _byStage.GetOrAdd(stage, _ => new ConcurrentQueue<double>()).Enqueue(milliseconds);

    public void AddTotal(string image, double milliseconds)
    {
        Add(Stage.Total, milliseconds);
        _totalByImage.GetOrAdd(image, _ => new ConcurrentQueue<double>()).Enqueue(milliseconds);
    }

    public IReadOnlyDictionary<Stage, SampleSummary> Summaries() =>
        _byStage.ToDictionary(s => s.Key, s => SampleSummary.Of(s.Value));

    public IReadOnlyDictionary<string, double> MedianTotalByImage() =>
        _totalByImage.ToDictionary(s => s.Key, s => SampleSummary.Of(s.Value).Median);
}

/// <summary>How many samples and their median (milliseconds unless said otherwise).</summary>
internal readonly record struct SampleSummary(int Count, double Median)
{
    public static SampleSummary Of(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0) return new SampleSummary(0, double.NaN);
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new SampleSummary(sorted.Length, median);
    }

    /// <summary>The nearest-rank percentile (<paramref name="percent"/> of 100) of the samples; NaN for none.</summary>
    public static double Percentile(IEnumerable<double> samples, double percent)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
