using System.Globalization;
using IntelliFace.Detection;
using IntelliFace.Imaging;

namespace IntelliFace.Tests.YuNet;

/// <summary>
/// OpenCV's YuNet results in <c>../shared/golden/yunet</c> (see its README): per PNG, the faces
/// <c>FaceDetectorYN</c> returned (score 0.9, NMS 0.3, input size = the PNG's size), in its order.
/// </summary>
internal static class YuNetGolden
{
    private static readonly Lazy<IReadOnlyList<YuNetGoldenImage>> LazyImages = new(Load);

    public static IReadOnlyList<YuNetGoldenImage> Images => LazyImages.Value;

    public static IEnumerable<(YuNetGoldenImage Image, int Index, YuNetFace Face)> AllFaces =>
        Images.SelectMany(image => image.Faces.Select((face, index) => (image, index, face)));

    /// <summary>The verified model file the golden results were made with.</summary>
    public static string ModelPath => SharedData.PathOf("models", YuNetFaceDetector.ModelFileName);

    public static string PathOf(params string[] parts) => SharedData.PathOf(["golden", "yunet", .. parts]);

    public static RgbImage LoadPng(string file) => new ImageIntake().Decode(File.ReadAllBytes(PathOf("inputs", file)));

    private static IReadOnlyList<YuNetGoldenImage> Load()
    {
        var rows = File.ReadLines(PathOf("golden.tsv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).ToArray();
        return rows.GroupBy(r => r[0]).Select(group =>
        {
            var first = group.First();
            var faces = group.Where(r => r[3] != "-1").OrderBy(r => int.Parse(r[3], CultureInfo.InvariantCulture)).Select(ReadFace).ToArray();
            return new YuNetGoldenImage(group.Key, int.Parse(first[1], CultureInfo.InvariantCulture), int.Parse(first[2], CultureInfo.InvariantCulture), faces);
        }).ToArray();
    }

    // Columns: file width height face x y w h re_x re_y le_x le_y nose_x nose_y rm_x rm_y lm_x lm_y score.
    private static YuNetFace ReadFace(string[] row)
    {
        double Value(int column) => float.Parse(row[column], CultureInfo.InvariantCulture);
        var points = new PointD[FivePointLandmarks.Count];
        for (var n = 0; n < points.Length; n++) points[n] = new PointD(Value(8 + 2 * n), Value(9 + 2 * n));
        return new YuNetFace(
            new FaceDetection((float)Value(18), new FaceBox(Value(4), Value(5), Value(6), Value(7))),
            FivePointLandmarks.FromArray(points));
    }
}

internal sealed record YuNetGoldenImage(string File, int Width, int Height, IReadOnlyList<YuNetFace> Faces)
{
    public string Stem => Path.GetFileNameWithoutExtension(File);
}
