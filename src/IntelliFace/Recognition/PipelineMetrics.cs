using System.Diagnostics;
using System.Diagnostics.Metrics;
using IntelliFace.Embedding;

namespace IntelliFace.Recognition;

/// <summary>
/// How long each stage of the pipeline takes, per model pack: the histogram
/// <c>intelliface.pipeline.stage.duration</c> (seconds) of the meter <see cref="MeterName"/>, tagged <c>stage</c>
/// (<c>decode</c>, <c>detect</c>, <c>embed</c>, <c>gallery</c>, <c>match</c>, <c>seal</c>) and <c>pack</c>. A host
/// subscribes to the meter (OpenTelemetry, <c>dotnet-counters</c>); unobserved, a measurement costs a timestamp.
/// Measurements carry no tenant, subject or image data.
/// </summary>
public static class PipelineMetrics
{
    public const string MeterName = "IntelliFace.Pipeline";
    public const string StageDurationName = "intelliface.pipeline.stage.duration";

    private static readonly Meter Meter = new(MeterName);

    // Stages run from tens of microseconds (match, seal) to seconds (detection on a large photo).
    private static readonly Histogram<double> StageDuration = Meter.CreateHistogram(
        StageDurationName, unit: "s", description: "Duration of one pipeline stage for one photo or request.", tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    internal static long Start() => Stopwatch.GetTimestamp();

    internal static void Record(string stage, PackId pack, long started)
    {
        if (!StageDuration.Enabled) return;
        StageDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>("pack", pack.Value));
    }
}
