using IntelliFace.Models.Tfjs;

namespace IntelliFace.Models.FaceApi;

/// <summary>
/// face-api's 68-point landmark network (<c>FaceLandmark68Net</c>: four dense blocks of
/// depthwise-separable convolutions, a 7x7 average pool and a 256 -> 136 fully connected layer)
/// rebuilt as an ONNX graph from <c>face_landmark_68_model</c> weights.
/// Input <c>input</c> [N, 112, 112, 3] RGB on the 0..255 scale (NHWC); output <c>landmarks</c>
/// [N, 136]: x0, y0, ..., x67, y67 as fractions of the input square.
/// </summary>
internal static class FaceLandmark68Graph
{
    public const int InputSize = 112;
    public const int OutputLength = 136;
    public const string InputName = "input";
    public const string OutputName = "landmarks";

    // FaceFeatureExtractor.forwardInput: normalize(x, meanRgb).div(255).
    private static readonly float[] MeanRgb = [122.782f, 117.001f, 104.298f];

    public static byte[] Build(TfjsWeights weights)
    {
        var graph = new TfLayerGraph("face_landmark_68", weights);
        var x = graph.NhwcInput(InputName, InputSize);
        x = graph.SubtractMeanAndDivide(x, MeanRgb, 255f);

        var size = InputSize;
        (x, size) = DenseBlock(graph, x, size, "dense0", isFirstLayer: true);
        (x, size) = DenseBlock(graph, x, size, "dense1", isFirstLayer: false);
        (x, size) = DenseBlock(graph, x, size, "dense2", isFirstLayer: false);
        (x, _) = DenseBlock(graph, x, size, "dense3", isFirstLayer: false);
        x = graph.AveragePoolValid(x, kernel: 7, stride: 2);

        var features = graph.FlattenLikeNhwc(x);
        var output = graph.FullyConnected(features, "fc/weights", "fc/bias", OutputName);
        graph.Onnx.Output(output, -1, OutputLength);
        return graph.ToModelBytes();
    }

    /// <summary>
    /// denseBlock4: a strided first convolution, then three separable ones, each fed the ReLU of the
    /// sum of all earlier outputs. The sums nest from the right as face-api adds them.
    /// </summary>
    private static (string Output, int Size) DenseBlock(TfLayerGraph graph, string x, int size, string prefix, bool isFirstLayer)
    {
        var out1 = isFirstLayer
            ? graph.Conv2D(x, size, $"{prefix}/conv0/filters", $"{prefix}/conv0/bias", stride: 2, TfPadding.Same)
            : SeparableConv(graph, x, size, $"{prefix}/conv0", stride: 2);
        out1 = graph.Relu(out1);
        size = TfLayerGraph.OutputSize(size, kernel: 3, stride: 2, TfPadding.Same);

        var out2 = SeparableConv(graph, out1, size, $"{prefix}/conv1", stride: 1);
        var in3 = graph.Relu(graph.Add(out1, out2));
        var out3 = SeparableConv(graph, in3, size, $"{prefix}/conv2", stride: 1);
        var in4 = graph.Relu(graph.Add(out1, graph.Add(out2, out3)));
        var out4 = SeparableConv(graph, in4, size, $"{prefix}/conv3", stride: 1);
        var output = graph.Relu(graph.Add(out1, graph.Add(out2, graph.Add(out3, out4))));
        return (output, size);
    }

    private static string SeparableConv(TfLayerGraph graph, string x, int size, string prefix, int stride) =>
        graph.SeparableConv2D(x, size, $"{prefix}/depthwise_filter", $"{prefix}/pointwise_filter", $"{prefix}/bias", stride);
}
