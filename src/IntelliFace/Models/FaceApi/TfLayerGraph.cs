using IntelliFace.Models.Onnx;
using IntelliFace.Models.Tfjs;

namespace IntelliFace.Models.FaceApi;

/// <summary>
/// Writes TensorFlow.js layers as ONNX nodes, in NCHW, with face-api's weights. Spatial sizes are
/// tracked by the caller because TensorFlow's "same" padding depends on them.
/// </summary>
internal sealed class TfLayerGraph
{
    private readonly OnnxGraphBuilder _graph;
    private readonly TfjsWeights _weights;
    private int _uniqueCounter;

    public TfLayerGraph(string name, TfjsWeights weights)
    {
        _graph = new OnnxGraphBuilder(name);
        _weights = weights;
    }

    public OnnxGraphBuilder Onnx => _graph;

    public TfjsWeights Weights => _weights;

    /// <summary>A float32 NHWC RGB input with a symbolic batch, returned as NCHW.</summary>
    public string NhwcInput(string name, int size)
    {
        var input = _graph.Input(name, -1, size, size, 3);
        return _graph.Node("Transpose", [input], OnnxAttribute.Ints("perm", 0, 3, 1, 2));
    }

    /// <summary>face-api's <c>normalize(x, meanRgb).div(divisor)</c>: a float32 subtraction, then a division.</summary>
    public string SubtractMeanAndDivide(string x, ReadOnlySpan<float> meanRgb, float divisor)
    {
        var mean = _graph.Constant(Unique("mean_rgb"), meanRgb, 1, 3, 1, 1);
        var centred = _graph.Node("Sub", [x, mean]);
        return _graph.Node("Div", [centred, _graph.Constant(Unique("divisor"), [divisor])]);
    }

    /// <summary><c>tf.conv2d(x, filters, stride, padding)</c> (+ bias when named); filters [kh, kw, in, out].</summary>
    public string Conv2D(string x, int inputSize, string filtersName, string? biasName, int stride, TfPadding padding)
    {
        var filters = _weights[filtersName];
        var (kh, kw, channelsIn, channelsOut) = Dims4(filters);
        var weights = _graph.Constant(filtersName, ToOihw(filters.Values, kh, kw, channelsIn, channelsOut), channelsOut, channelsIn, kh, kw);
        string[] inputs = biasName is null ? [x, weights] : [x, weights, Vector(biasName, channelsOut)];
        return _graph.Node("Conv", inputs,
            OnnxAttribute.Ints("kernel_shape", kh, kw),
            OnnxAttribute.Ints("strides", stride, stride),
            OnnxAttribute.Ints("pads", Pads(inputSize, kh, stride, padding)));
    }

    /// <summary>
    /// <c>tf.separableConv2d(x, depthwise, pointwise, stride, 'same')</c> then <c>+ bias</c>:
    /// a depthwise [kh, kw, in, 1] convolution with the stride, then a 1x1 [1, 1, in, out] one.
    /// </summary>
    public string SeparableConv2D(string x, int inputSize, string depthwiseName, string pointwiseName, string biasName, int stride)
    {
        var depthwise = _weights[depthwiseName];
        var (kh, kw, channels, multiplier) = Dims4(depthwise);
        if (multiplier != 1) throw new FaceException(FaceErrorCode.ModelIntegrity, $"The weight '{depthwiseName}' has a channel multiplier of {multiplier}, not 1.");
        var depthwiseFilters = _graph.Constant(depthwiseName, ToOihw(depthwise.Values, kh, kw, channels, 1), channels, 1, kh, kw);
        var spatial = _graph.Node("Conv", [x, depthwiseFilters],
            OnnxAttribute.Int("group", channels),
            OnnxAttribute.Ints("kernel_shape", kh, kw),
            OnnxAttribute.Ints("strides", stride, stride),
            OnnxAttribute.Ints("pads", Pads(inputSize, kh, stride, TfPadding.Same)));

        var pointwise = _weights[pointwiseName];
        var (_, _, pointwiseIn, channelsOut) = Dims4(pointwise);
        var pointwiseFilters = _graph.Constant(pointwiseName, ToOihw(pointwise.Values, 1, 1, pointwiseIn, channelsOut), channelsOut, pointwiseIn, 1, 1);
        return _graph.Node("Conv", [spatial, pointwiseFilters, Vector(biasName, channelsOut)], OnnxAttribute.Ints("kernel_shape", 1, 1));
    }

    /// <summary>Per-channel <c>x * weights + biases</c> (face-api's scale layer).</summary>
    public string Scale(string x, string weightsName, string biasesName, int channels)
    {
        var scaled = _graph.Node("Mul", [x, PerChannel(weightsName, channels)]);
        return _graph.Node("Add", [scaled, PerChannel(biasesName, channels)]);
    }

    public string Relu(string x) => _graph.Node("Relu", [x]);

    public string Add(string a, string b) => _graph.Node("Add", [a, b]);

    /// <summary>'valid' pooling only: no padded cell can enter an average.</summary>
    public string AveragePoolValid(string x, int kernel, int stride) =>
        _graph.Node("AveragePool", [x], OnnxAttribute.Ints("kernel_shape", kernel, kernel), OnnxAttribute.Ints("strides", stride, stride));

    public string MaxPoolValid(string x, int kernel, int stride) =>
        _graph.Node("MaxPool", [x], OnnxAttribute.Ints("kernel_shape", kernel, kernel), OnnxAttribute.Ints("strides", stride, stride));

    /// <summary>Zero-pads NCHW dimensions at their end: <paramref name="channels"/>, rows (bottom), columns (right).</summary>
    public string ZeroPadAfter(string x, long channels, long rows, long columns)
    {
        var pads = _graph.Constant(Unique("pads"), [0L, 0L, 0L, 0L, 0L, channels, rows, columns], 8);
        return _graph.Node("Pad", [x, pads]);
    }

    /// <summary>TensorFlow's <c>as2D(batch, -1)</c> of an NHWC tensor: back to NHWC, then flatten.</summary>
    public string FlattenLikeNhwc(string x)
    {
        var nhwc = _graph.Node("Transpose", [x], OnnxAttribute.Ints("perm", 0, 2, 3, 1));
        return _graph.Node("Flatten", [nhwc], OnnxAttribute.Int("axis", 1));
    }

    /// <summary><c>tf.matMul(x, weights)</c> with weights [in, out], plus a bias when named.</summary>
    public string FullyConnected(string x, string weightsName, string? biasName, string outputName)
    {
        var weights = _weights[weightsName];
        var matrix = _graph.Constant(weightsName, weights.Values, weights.Dims);
        if (biasName is null) return _graph.Node("MatMul", [x, matrix], outputName);
        var product = _graph.Node("MatMul", [x, matrix]);
        return _graph.Node("Add", [product, Vector(biasName, weights.Shape[1])], outputName);
    }

    public byte[] ToModelBytes() => _graph.ToModelBytes();

    /// <summary>Output size of a TensorFlow convolution or pooling along one axis.</summary>
    public static int OutputSize(int inputSize, int kernel, int stride, TfPadding padding) =>
        padding == TfPadding.Same ? (inputSize + stride - 1) / stride : (inputSize - kernel) / stride + 1;

    // TensorFlow "same" puts the odd padding row/column at the end (bottom/right); ONNX's explicit
    // pads are [top, left, bottom, right].
    private static long[] Pads(int inputSize, int kernel, int stride, TfPadding padding)
    {
        if (padding == TfPadding.Valid) return [0, 0, 0, 0];
        var total = Math.Max((OutputSize(inputSize, kernel, stride, padding) - 1) * stride + kernel - inputSize, 0);
        long before = total / 2, after = total - total / 2;
        return [before, before, after, after];
    }

    // TensorFlow [kh, kw, in, out] -> ONNX [out, in, kh, kw].
    private static float[] ToOihw(float[] hwio, int kh, int kw, int channelsIn, int channelsOut)
    {
        var oihw = new float[hwio.Length];
        for (var y = 0; y < kh; y++)
            for (var x = 0; x < kw; x++)
                for (var i = 0; i < channelsIn; i++)
                    for (var o = 0; o < channelsOut; o++)
                        oihw[((o * channelsIn + i) * kh + y) * kw + x] = hwio[((y * kw + x) * channelsIn + i) * channelsOut + o];
        return oihw;
    }

    private static (int Kh, int Kw, int In, int Out) Dims4(TfjsTensor tensor) =>
        tensor.Shape.Length == 4
            ? (tensor.Shape[0], tensor.Shape[1], tensor.Shape[2], tensor.Shape[3])
            : throw new FaceException(FaceErrorCode.ModelIntegrity, $"The weight '{tensor.Name}' has {tensor.Shape.Length} dimensions, not 4.");

    private string Vector(string name, int length)
    {
        var tensor = _weights[name];
        if (tensor.Values.Length != length)
            throw new FaceException(FaceErrorCode.ModelIntegrity, $"The weight '{name}' has {tensor.Values.Length} values, not {length}.");
        return _graph.Constant(name, tensor.Values, length);
    }

    private string PerChannel(string name, int channels)
    {
        var tensor = _weights[name];
        if (tensor.Values.Length != channels)
            throw new FaceException(FaceErrorCode.ModelIntegrity, $"The weight '{name}' has {tensor.Values.Length} values, not {channels}.");
        return _graph.Constant(name, tensor.Values, 1, channels, 1, 1);
    }

    private string Unique(string stem) => $"{stem}_{_uniqueCounter++}";
}

internal enum TfPadding
{
    Valid,
    Same,
}
