using System.Collections.Concurrent;
using System.Diagnostics;

namespace IntelliFace.Bench.Stages;

/// <summary>Per-stage medians and throughput with <see cref="Workers"/> photos in flight at once.</summary>
internal sealed record WorkerRun(
    int Workers,
    IReadOnlyDictionary<Stage, SampleSummary> Stages,
    IReadOnlyDictionary<string, double> MedianTotalByImage,
    double MedianImagesPerSecond);

/// <summary>
/// Times every stage on the golden photos with one worker and with two concurrent workers sharing
/// the same sessions. The two settings alternate pass by pass, so background load on a shared
/// machine hits both alike.
/// </summary>
internal static class StageBenchmark
{
    /// <summary>One untimed pass (first runs allocate ONNX Runtime buffers and compile .NET code); returns the faces found per photo.</summary>
    public static IReadOnlyDictionary<string, int> WarmUp(PipelineStages stages, GoldenInputs inputs) =>
        inputs.Photos.ToDictionary(photo => photo.Name, photo => stages.Run(photo, new StageSamples()), StringComparer.Ordinal);

    public static IReadOnlyList<WorkerRun> Run(PipelineStages stages, GoldenInputs inputs, int[] workerCounts, int passes, TextWriter progress)
    {
        var samples = workerCounts.ToDictionary(w => w, _ => new StageSamples());
        var throughput = workerCounts.ToDictionary(w => w, _ => new List<double>());
        for (var pass = 0; pass < passes; pass++)
        {
            foreach (var workers in workerCounts)
            {
                var clock = Stopwatch.StartNew();
                Parallel.ForEach(
                    Partitioner.Create(inputs.Photos, EnumerablePartitionerOptions.NoBuffering),
                    new ParallelOptions { MaxDegreeOfParallelism = workers },
                    photo => stages.Run(photo, samples[workers]));
                throughput[workers].Add(inputs.Photos.Count / clock.Elapsed.TotalSeconds);
            }
            progress.WriteLine($"stages: pass {pass + 1}/{passes} done");
        }

        return workerCounts
            .Select(w => new WorkerRun(w, samples[w].Summaries(), samples[w].MedianTotalByImage(), SampleSummary.Of(throughput[w]).Median))
            .ToArray();
    }
}
