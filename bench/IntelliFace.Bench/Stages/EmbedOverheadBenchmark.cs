using System.Diagnostics;
using IntelliFace.Alignment;
using IntelliFace.Detection;
using IntelliFace.Imaging;
using IntelliFace.Models.FaceApi;
using IntelliFace.Models.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace IntelliFace.Bench.Stages;

/// <summary>Medians of one way of timing (wall clock or thread CPU) the two calls being compared, in ms.</summary>
/// <param name="PairedExtraMs">
/// Median of (embed stage - bare run) over calls made back to back on the same face: background
/// load shifts both calls of a pair alike, so this is steadier than the difference of the medians.
/// </param>
internal sealed record CallTimes(double BareRunMs, double EmbedStageMs, double CropResizeMs, double PairedExtraMs)
{
    /// <summary>What our stage adds to the bare run, in percent of the bare run.</summary>
    public double OverheadPercent => PairedExtraMs / BareRunMs * 100;
}

/// <param name="Wall">Wall-clock medians.</param>
/// <param name="Cpu">Thread CPU time medians (null where the clock is unavailable); the goal is judged on these.</param>
internal sealed record EmbedOverhead(int Samples, CallTimes Wall, CallTimes? Cpu)
{
    public const double GoalPercent = 10;

    public CallTimes Judged => Cpu ?? Wall;
}

/// <summary>
/// Our embed stage (<c>FaceRecognitionNet.Describe</c>: crop, pad, resize, copy into ONNX Runtime,
/// run, copy out, wipe) against the bare recognition network: a second session with the very same
/// graph and options, fed tensors prepared beforehand, output preallocated. The calls alternate
/// (swapping order every round) over the faces of the golden photos.
/// </summary>
internal static class EmbedOverheadBenchmark
{
    public static EmbedOverhead Run(PipelineStages stages, GoldenInputs inputs, int rounds)
    {
        var faces = FacesOf(stages, inputs);
        try
        {
            using var session = OnnxSessionFactory.Create(FaceApiGraphCache.LoadOrBuildRecognition(stages.ModelFolder));
            using var runOptions = new RunOptions();
            var size = FaceRecognitionGraph.InputSize;
            var prepared = faces.Select(f => NetInputTensor.FromCrop(f.Image, f.Crop, size)).ToArray();
            var inputValues = prepared.Select(t => OrtValue.CreateTensorValueFromMemory(t, [1, size, size, 3])).ToArray();
            var output = new float[FaceRecognitionGraph.OutputLength];
            using var outputValue = OrtValue.CreateTensorValueFromMemory(output, [1, FaceRecognitionGraph.OutputLength]);
            var resizeBuffer = new float[size * size * 3];

            Timing Bare(int face) => Timing.Of(() =>
                session.Run(runOptions, [FaceRecognitionGraph.InputName], [inputValues[face]], [FaceRecognitionGraph.OutputName], [outputValue]));
            Timing Embed(int face) => Timing.Of(() => stages.Recognition.Describe(faces[face].Image, faces[face].Crop, stages.Pack).Clear());
            Timing CropResize(int face) => Timing.Of(() => NetInputTensor.WriteFromCrop(faces[face].Image, faces[face].Crop, size, resizeBuffer));

            for (var i = 0; i < faces.Count; i++)
            {
                Bare(i);
                Embed(i);
            }

            List<Timing> bare = [], embed = [], cropResize = [];
            for (var round = 0; round < rounds; round++)
            {
                var face = round % faces.Count;
                if (round % 2 == 0)
                {
                    bare.Add(Bare(face));
                    embed.Add(Embed(face));
                }
                else
                {
                    embed.Add(Embed(face));
                    bare.Add(Bare(face));
                }
                cropResize.Add(CropResize(face));
            }

            foreach (var value in inputValues) value.Dispose();
            foreach (var tensor in prepared) Array.Clear(tensor);
            Array.Clear(output);
            Array.Clear(resizeBuffer);

            CallTimes Summarise(Func<Timing, double> clock) => new(
                SampleSummary.Of(bare.Select(clock)).Median,
                SampleSummary.Of(embed.Select(clock)).Median,
                SampleSummary.Of(cropResize.Select(clock)).Median,
                SampleSummary.Of(embed.Zip(bare, (e, b) => clock(e) - clock(b))).Median);
            return new EmbedOverhead(rounds, Summarise(t => t.WallMs), ThreadCpuClock.IsAvailable ? Summarise(t => t.CpuMs) : null);
        }
        finally
        {
            foreach (var image in faces.Select(f => f.Image).Distinct()) image.Dispose();
        }
    }

    private readonly record struct Timing(double WallMs, double CpuMs)
    {
        public static Timing Of(Action call)
        {
            var cpu = ThreadCpuClock.NowMs();
            var wall = Stopwatch.GetTimestamp();
            call();
            return new Timing(Stopwatch.GetElapsedTime(wall).TotalMilliseconds, ThreadCpuClock.NowMs() - cpu);
        }
    }

    private sealed record DecodedFace(RgbImage Image, PixelRect Crop);

    /// <summary>Every face of the golden photos with its recognition crop (faces of one photo share its decoded image).</summary>
    private static List<DecodedFace> FacesOf(PipelineStages stages, GoldenInputs inputs)
    {
        var intake = new ImageIntake();
        var faces = new List<DecodedFace>();
        foreach (var photo in inputs.Photos)
        {
            var image = intake.Decode(photo.Bytes);
            var crops = stages.Detector.Detect(image)
                .Select(d => DlibFaceAligner.Align(stages.Landmarks.Locate(image, d), image.Width, image.Height).Crop)
                .ToArray();
            if (crops.Length == 0) image.Dispose();
            faces.AddRange(crops.Select(crop => new DecodedFace(image, crop)));
        }
        return faces;
    }
}
