using System.Runtime.InteropServices;
using System.Text.Json;
using IntelliFace.Detection;
using IntelliFace.Imaging;

namespace IntelliFace.Tests.FaceApi;

/// <summary>The face-api golden set in <c>../shared/golden/faceapi</c> (see its README).</summary>
internal static class FaceApiGolden
{
    private static readonly Lazy<IReadOnlyList<GoldenImage>> LazyImages = new(Load);

    public static IReadOnlyList<GoldenImage> Images => LazyImages.Value;

    public static IEnumerable<(GoldenImage Image, int Index, GoldenFace Face)> AllFaces =>
        Images.SelectMany(image => image.Faces.Select((face, index) => (image, index, face)));

    public static string PathOf(params string[] parts) => SharedData.PathOf(["golden", "faceapi", .. parts]);

    public static float[] ReadNetInput(string fileName)
    {
        var bytes = File.ReadAllBytes(PathOf("net_inputs", fileName));
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    /// <summary>Decodes a golden PNG with the product's own intake (PNG is lossless: the reference pixels).</summary>
    public static RgbImage LoadPng(string fileName) => new ImageIntake().Decode(File.ReadAllBytes(PathOf("inputs", fileName)));

    private static IReadOnlyList<GoldenImage> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(PathOf("golden.json")));
        return document.RootElement.GetProperty("images").EnumerateArray().Select(image => new GoldenImage(
            image.GetProperty("file").GetString()!,
            image.GetProperty("width").GetInt32(),
            image.GetProperty("height").GetInt32(),
            image.GetProperty("faces").EnumerateArray().Select(ReadFace).ToArray())).ToArray();
    }

    private static GoldenFace ReadFace(JsonElement face)
    {
        var box = face.GetProperty("box");
        var inputs = face.TryGetProperty("netInputs", out var netInputs) ? netInputs : (JsonElement?)null;
        return new GoldenFace(
            (float)face.GetProperty("score").GetDouble(),
            new FaceBox(box.GetProperty("x").GetDouble(), box.GetProperty("y").GetDouble(), box.GetProperty("width").GetDouble(), box.GetProperty("height").GetDouble()),
            face.GetProperty("landmarks").EnumerateArray().Select(p => new PointD(p[0].GetDouble(), p[1].GetDouble())).ToArray(),
            ReadRect(face.GetProperty("landmarkCrop")),
            Floats(face.GetProperty("landmarkNetOutput")),
            ReadRect(face.GetProperty("descriptorAlignRect")),
            ReadRect(face.GetProperty("descriptorCrop")),
            Floats(face.GetProperty("descriptor")),
            inputs?.GetProperty("recognition").GetProperty("file").GetString(),
            inputs?.GetProperty("landmark").GetProperty("file").GetString());
    }

    // Values that were float32 in face-api are printed as exact doubles: the cast restores the bits.
    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    private static PixelRect ReadRect(JsonElement rect) => new(
        rect.GetProperty("x").GetInt32(), rect.GetProperty("y").GetInt32(),
        rect.GetProperty("width").GetInt32(), rect.GetProperty("height").GetInt32());
}

internal sealed record GoldenImage(string File, int Width, int Height, IReadOnlyList<GoldenFace> Faces)
{
    public string Stem => Path.GetFileNameWithoutExtension(File);
}

internal sealed record GoldenFace(
    float Score,
    FaceBox Box,
    PointD[] Landmarks,
    PixelRect LandmarkCrop,
    float[] LandmarkNetOutput,
    PixelRect DescriptorAlignRect,
    PixelRect DescriptorCrop,
    float[] Descriptor,
    string? RecognitionInputFile,
    string? LandmarkInputFile);
