using IntelliFace.Models.Tfjs;

namespace IntelliFace.Models.FaceApi;

/// <summary>
/// face-api's dlib-style ResNet (<c>FaceRecognitionNet</c>) rebuilt as an ONNX graph from
/// <c>face_recognition_model</c> weights. Input <c>input</c> [N, 150, 150, 3] RGB on the 0..255
/// scale (NHWC); output <c>descriptor</c> [N, 128], not normalised.
/// </summary>
internal static class FaceRecognitionGraph
{
    public const int InputSize = 150;
    public const int OutputLength = 128;
    public const string InputName = "input";
    public const string OutputName = "descriptor";

    // FaceRecognitionNet.forwardInput: normalize(x, meanRgb).div(255).
    private static readonly float[] MeanRgb = [122.782f, 117.001f, 104.298f];

    public static byte[] Build(TfjsWeights weights)
    {
        var graph = new TfLayerGraph("face_recognition", weights);
        var x = graph.NhwcInput(InputName, InputSize);
        x = graph.SubtractMeanAndDivide(x, MeanRgb, 255f);

        // 150 -> 72 (7x7/2 valid) -> 35 (3x3/2 max pool, valid).
        x = ConvLayer(graph, x, InputSize, "conv32_down", stride: 2, TfPadding.Valid, withRelu: true);
        var size = TfLayerGraph.OutputSize(InputSize, kernel: 7, stride: 2, TfPadding.Valid);
        x = graph.MaxPoolValid(x, kernel: 3, stride: 2);
        size = TfLayerGraph.OutputSize(size, kernel: 3, stride: 2, TfPadding.Valid);
        var channels = 32;

        x = Residual(graph, x, size, "conv32_1");
        x = Residual(graph, x, size, "conv32_2");
        x = Residual(graph, x, size, "conv32_3");

        (x, size, channels) = ResidualDown(graph, x, size, channels, "conv64_down");
        x = Residual(graph, x, size, "conv64_1");
        x = Residual(graph, x, size, "conv64_2");
        x = Residual(graph, x, size, "conv64_3");

        (x, size, channels) = ResidualDown(graph, x, size, channels, "conv128_down");
        x = Residual(graph, x, size, "conv128_1");
        x = Residual(graph, x, size, "conv128_2");

        (x, size, channels) = ResidualDown(graph, x, size, channels, "conv256_down");
        x = Residual(graph, x, size, "conv256_1");
        x = Residual(graph, x, size, "conv256_2");
        (x, _, _) = ResidualDown(graph, x, size, channels, "conv256_down_out");

        // out.mean([1, 2]) of the NHWC tensor.
        var pooled = graph.Onnx.Node("ReduceMean", [x], Onnx.OnnxAttribute.Ints("axes", 2, 3), Onnx.OnnxAttribute.Int("keepdims", 0));
        var output = graph.FullyConnected(pooled, "fc", biasName: null, OutputName);
        graph.Onnx.Output(output, -1, OutputLength);
        return graph.ToModelBytes();
    }

    /// <summary>conv + bias, then the scale layer, then optionally ReLU.</summary>
    private static string ConvLayer(TfLayerGraph graph, string x, int size, string prefix, int stride, TfPadding padding, bool withRelu)
    {
        var channels = graph.Weights[$"{prefix}/scale/weights"].Values.Length;
        var conv = graph.Conv2D(x, size, $"{prefix}/conv/filters", $"{prefix}/conv/bias", stride, padding);
        var scaled = graph.Scale(conv, $"{prefix}/scale/weights", $"{prefix}/scale/biases", channels);
        return withRelu ? graph.Relu(scaled) : scaled;
    }

    private static string Residual(TfLayerGraph graph, string x, int size, string prefix)
    {
        var out1 = ConvLayer(graph, x, size, $"{prefix}/conv1", stride: 1, TfPadding.Same, withRelu: true);
        var out2 = ConvLayer(graph, out1, size, $"{prefix}/conv2", stride: 1, TfPadding.Same, withRelu: false);
        return graph.Relu(graph.Add(out2, x));
    }

    /// <summary>
    /// residualDown: a strided valid convolution path added to a 2x2 average-pooled shortcut. When
    /// the channels double, the shortcut gets zero channels after its own; when the convolution
    /// path comes out one smaller (odd sizes), it gets a zero row at the bottom and a zero column
    /// at the right.
    /// </summary>
    private static (string Output, int Size, int Channels) ResidualDown(TfLayerGraph graph, string x, int size, int channels, string prefix)
    {
        var out1 = ConvLayer(graph, x, size, $"{prefix}/conv1", stride: 2, TfPadding.Valid, withRelu: true);
        var convSize = TfLayerGraph.OutputSize(size, kernel: 3, stride: 2, TfPadding.Valid);
        var out2 = ConvLayer(graph, out1, convSize, $"{prefix}/conv2", stride: 1, TfPadding.Same, withRelu: false);
        var outChannels = graph.Weights[$"{prefix}/conv2/scale/weights"].Values.Length;

        var shortcut = graph.AveragePoolValid(x, kernel: 2, stride: 2);
        var poolSize = TfLayerGraph.OutputSize(size, kernel: 2, stride: 2, TfPadding.Valid);
        if (outChannels != channels) shortcut = graph.ZeroPadAfter(shortcut, channels: outChannels - channels, rows: 0, columns: 0);
        if (poolSize != convSize) out2 = graph.ZeroPadAfter(out2, channels: 0, rows: poolSize - convSize, columns: poolSize - convSize);

        return (graph.Relu(graph.Add(shortcut, out2)), poolSize, outChannels);
    }
}
