using IntelliFace.Detection;
using IntelliFace.Embedding;
using IntelliFace.Imaging;
using IntelliFace.Matching;
using IntelliFace.Models;

namespace IntelliFace.Recognition;

/// <summary>Which face of a photo to use: enrollment demands exactly one; a probe uses the largest.</summary>
public enum FaceSelection
{
    ExactlyOne,
    Largest,
}

/// <summary>What was found in a photo, in pixels of the upright original: never the pixels themselves.</summary>
public sealed record FaceSummary(int FacesDetected, FaceBox Box, float Score);

/// <summary>An embedding with the facts about the face it came from.</summary>
public sealed record FaceProbe(FaceEmbedding Embedding, FaceSummary Face);

/// <summary>
/// Photo bytes -> one embedding. The decoded photo exists only inside <see cref="Embed"/> and its
/// buffers are zeroed before it returns; the caller owns (and should clear) the encoded bytes.
/// </summary>
public sealed class FacePipeline(IModelPack pack, ImageIntake intake)
{
    /// <summary>
    /// Photos are analysed with their longer side at most this many pixels (area downscaling); the
    /// face-api reference set was made the same way, and larger inputs only cost time.
    /// </summary>
    public const int MaxAnalysisSide = 1280;

    public IModelPack Pack => pack;

    /// <summary>Compares the largest faces of two photos; nothing is stored.</summary>
    public CompareResult Compare(ReadOnlySpan<byte> photoA, ReadOnlySpan<byte> photoB)
    {
        var decision = new MatchDecision(pack.Manifest.Threshold);
        var a = EmbedNamed(photoA, "PHOTO_A");
        try
        {
            var b = EmbedNamed(photoB, "PHOTO_B");
            var similarity = Similarity.Cosine(a.Embedding, b.Embedding);
            b.Embedding.Clear();
            return new CompareResult(decision.IsSamePerson(similarity), similarity, decision.Threshold, pack.Id, a.Face, b.Face);
        }
        finally
        {
            a.Embedding.Clear();
        }
    }

    private FaceProbe EmbedNamed(ReadOnlySpan<byte> photo, string name)
    {
        try
        {
            return Embed(photo, FaceSelection.Largest);
        }
        catch (FaceException e)
        {
            throw new FaceException(e.Code, $"{name}: {e.Message}", e) { Details = e.Details };
        }
    }

    public FaceProbe Embed(ReadOnlySpan<byte> photo, FaceSelection selection)
    {
        var started = PipelineMetrics.Start();
        using var upright = intake.Decode(photo);
        if (Math.Max(upright.Width, upright.Height) <= MaxAnalysisSide)
        {
            PipelineMetrics.Record("decode", pack.Id, started);
            return EmbedAnalysed(upright, 1.0, selection);
        }

        var scaled = ImageResampler.DownscaleToFit(upright, MaxAnalysisSide);
        using var analysed = scaled.Image;
        PipelineMetrics.Record("decode", pack.Id, started);
        return EmbedAnalysed(analysed, scaled.Scale, selection);
    }

    private FaceProbe EmbedAnalysed(RgbImage image, double scale, FaceSelection selection)
    {
        var started = PipelineMetrics.Start();
        var faces = pack.FindFaces(image);
        PipelineMetrics.Record("detect", pack.Id, started);
        if (faces.Count == 0)
            throw new FaceException(FaceErrorCode.NoFace, "No face was found in the photo.");
        if (selection == FaceSelection.ExactlyOne && faces.Count > 1)
            throw new FaceException(FaceErrorCode.MultipleFaces, $"The photo shows {faces.Count} faces; enrollment needs exactly one.")
            {
                Details = new Dictionary<string, object> { ["faces"] = faces.Count },
            };

        var face = faces.MaxBy(f => f.Detection.Box.Width * f.Detection.Box.Height)!;
        var side = Math.Min(face.Detection.Box.Width, face.Detection.Box.Height);
        if (side < pack.Manifest.MinFaceSizePx)
            throw new FaceException(FaceErrorCode.FaceTooSmall,
                $"The face is {side:F0} px across; at least {pack.Manifest.MinFaceSizePx} px are needed (in a photo scaled to at most {MaxAnalysisSide} px).")
            {
                Details = new Dictionary<string, object> { ["minimum_px"] = pack.Manifest.MinFaceSizePx, ["face_px"] = Math.Round(side, 1) },
            };

        started = PipelineMetrics.Start();
        var embedding = pack.Embed(image, face);
        PipelineMetrics.Record("embed", pack.Id, started);
        var box = face.Detection.Box;
        var original = new FaceBox(box.X / scale, box.Y / scale, box.Width / scale, box.Height / scale);
        return new FaceProbe(embedding, new FaceSummary(faces.Count, original, face.Detection.Score));
    }
}
