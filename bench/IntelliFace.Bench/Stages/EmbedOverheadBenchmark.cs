using System.Diagnostics;
using IntelliFace.Alignment;
using IntelliFace.Detection;
using IntelliFace.Imaging;
using IntelliFace.Models.FaceApi;
using IntelliFace.Models.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace IntelliFace.Bench.Stages;

/// <param name="BareRunMs">Median of <c>InferenceSession.Run</c> alone on a prepared 150 x 150 input, output preallocated.</param>
/// <param name="EmbedStageMs">Median of our embed stage (crop, pad, resize, copy into ONNX Runtime, run, embedding object, wiping).</param>
/// <param name="CropResizeMs">Median of the crop, pad and resize alone, part of <paramref name="EmbedStageMs"/>.</param>
internal sealed record EmbedOverhead(int Samples, double BareRunMs, double EmbedStageMs, double CropResizeMs)
{
    public const double GoalPercent = 10;

    public double OverheadPercent => (EmbedStageMs - BareRunMs) / BareRunMs * 100;
}

/// <summary>
/// Our embed stage against the bare recognition network: a second session with the very same graph
/// and options, fed tensors prepared beforehand. The calls alternate (and swap order every round)
/// over the faces of the golden photos, so background load hits both alike.
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
            var inputs150 = prepared.Select(t => OrtValue.CreateTensorValueFromMemory(t, [1, size, size, 3])).ToArray();
            var output = new float[FaceRecognitionGraph.OutputLength];
            using var outputValue = OrtValue.CreateTensorValueFromMemory(output, [1, FaceRecognitionGraph.OutputLength]);
            var resizeBuffer = new float[size * size * 3];

            double Bare(int face)
            {
                var start = Stopwatch.GetTimestamp();
                session.Run(runOptions, [FaceRecognitionGraph.InputName], [inputs150[face]], [FaceRecognitionGraph.OutputName], [outputValue]);
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            double Embed(int face)
            {
                var start = Stopwatch.GetTimestamp();
                stages.Recognition.Describe(faces[face].Image, faces[face].Crop, stages.Pack).Clear();
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            double CropResize(int face)
            {
                var start = Stopwatch.GetTimestamp();
                NetInputTensor.WriteFromCrop(faces[face].Image, faces[face].Crop, size, resizeBuffer);
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            for (var i = 0; i < faces.Count; i++)
            {
                Bare(i);
                Embed(i);
            }

            List<double> bare = [], embed = [], cropResize = [];
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

            foreach (var value in inputs150) value.Dispose();
            Array.Clear(output);
            Array.Clear(resizeBuffer);
            foreach (var tensor in prepared) Array.Clear(tensor);
            return new EmbedOverhead(rounds, SampleSummary.Of(bare).Median, SampleSummary.Of(embed).Median, SampleSummary.Of(cropResize).Median);
        }
        finally
        {
            foreach (var image in faces.Select(f => f.Image).Distinct()) image.Dispose();
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
