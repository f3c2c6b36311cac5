using System.Runtime.InteropServices;

namespace IntelliFace.Models.Onnx;

/// <summary>
/// Builds an ONNX model (a single graph in the default domain) in memory, node by node, and
/// serialises it to the bytes ONNX Runtime loads. Only the parts of onnx.proto our rebuilt
/// networks need are written: float/int64 tensors, float inputs/outputs and node attributes.
/// </summary>
/// <remarks>Field numbers follow onnx/onnx.proto (IR version 8).</remarks>
internal sealed class OnnxGraphBuilder
{
    private const long IrVersion = 8;
    private const int FloatType = 1;
    private const int Int32Type = 6;
    private const int Int64Type = 7;

    private readonly string _graphName;
    private readonly int _opset;
    private readonly List<ProtoWriter> _nodes = [];
    private readonly List<ProtoWriter> _initializers = [];
    private readonly List<ProtoWriter> _inputs = [];
    private readonly List<ProtoWriter> _outputs = [];
    private readonly HashSet<string> _names = [];
    private int _counter;

    public OnnxGraphBuilder(string graphName, int opset = 17)
    {
        _graphName = graphName;
        _opset = opset;
    }

    /// <summary>Declares a float32 graph input. A dimension of -1 is symbolic (any size).</summary>
    public string Input(string name, params long[] shape)
    {
        Claim(name);
        _inputs.Add(ValueInfo(name, shape));
        return name;
    }

    /// <summary>Declares an existing value as a float32 graph output.</summary>
    public void Output(string name, params long[] shape) => _outputs.Add(ValueInfo(name, shape));

    public string Constant(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        CheckCount(values.Length, dims);
        Claim(name);
        _initializers.Add(Tensor(name, FloatType, dims, MemoryMarshal.AsBytes(values)));
        return name;
    }

    public string Constant(string name, ReadOnlySpan<long> values, params long[] dims)
    {
        CheckCount(values.Length, dims);
        Claim(name);
        _initializers.Add(Tensor(name, Int64Type, dims, MemoryMarshal.AsBytes(values)));
        return name;
    }

    public string Constant(string name, ReadOnlySpan<int> values, params long[] dims)
    {
        CheckCount(values.Length, dims);
        Claim(name);
        _initializers.Add(Tensor(name, Int32Type, dims, MemoryMarshal.AsBytes(values)));
        return name;
    }

    /// <summary>Adds a node with one output and returns the output's name (generated unless given).</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes) =>
        Node(opType, inputs, outputCount: 1, outputName: null, attributes)[0];

    public string Node(string opType, IReadOnlyList<string> inputs, string outputName, params OnnxAttribute[] attributes) =>
        Node(opType, inputs, outputCount: 1, outputName, attributes)[0];

    public string[] Node(string opType, IReadOnlyList<string> inputs, int outputCount, string? outputName, params OnnxAttribute[] attributes)
    {
        var id = _counter++;
        var outputs = new string[outputCount];
        for (var i = 0; i < outputCount; i++)
        {
            outputs[i] = outputName is not null && i == 0 ? outputName : $"{opType}_{id}_{i}";
            Claim(outputs[i]);
        }

        var node = new ProtoWriter();
        foreach (var input in inputs) node.String(1, input);
        foreach (var output in outputs) node.String(2, output);
        node.String(3, $"{opType}_{id}");
        node.String(4, opType);
        foreach (var attribute in attributes) node.Message(5, attribute.ToProto());
        _nodes.Add(node);
        return outputs;
    }

    public byte[] ToModelBytes()
    {
        var graph = new ProtoWriter();
        foreach (var node in _nodes) graph.Message(1, node);
        graph.String(2, _graphName);
        foreach (var tensor in _initializers) graph.Message(5, tensor);
        foreach (var input in _inputs) graph.Message(11, input);
        foreach (var output in _outputs) graph.Message(12, output);

        var opset = new ProtoWriter().String(1, "").Int64(2, _opset);
        return new ProtoWriter()
            .Int64(1, IrVersion)
            .String(2, "intelliface")
            .Message(7, graph)
            .Message(8, opset)
            .ToArray();
    }

    private void Claim(string name)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"The graph already has a value named '{name}'.");
    }

    private static void CheckCount(int count, long[] dims)
    {
        long expected = 1;
        foreach (var dim in dims) expected *= dim;
        if (expected != count) throw new ArgumentException($"{count} values do not fill a tensor of shape [{string.Join(",", dims)}].");
    }

    private static ProtoWriter Tensor(string name, int dataType, long[] dims, ReadOnlySpan<byte> littleEndianData) =>
        new ProtoWriter()
            .PackedInt64(1, dims)
            .Int64(2, dataType)
            .String(8, name)
            .Bytes(9, littleEndianData);

    private static ProtoWriter ValueInfo(string name, long[] shape)
    {
        var dims = new ProtoWriter();
        for (var i = 0; i < shape.Length; i++)
        {
            var dim = shape[i] >= 0 ? new ProtoWriter().Int64(1, shape[i]) : new ProtoWriter().String(2, $"{name}_d{i}");
            dims.Message(1, dim);
        }

        var tensorType = new ProtoWriter().Int64(1, FloatType).Message(2, dims);
        var type = new ProtoWriter().Message(1, tensorType);
        return new ProtoWriter().String(1, name).Message(2, type);
    }
}

/// <summary>A node attribute (onnx AttributeProto) of one of the kinds our graphs use.</summary>
internal sealed class OnnxAttribute
{
    private readonly Func<ProtoWriter> _write;

    private OnnxAttribute(Func<ProtoWriter> write) => _write = write;

    public static OnnxAttribute Int(string name, long value) =>
        new(() => new ProtoWriter().String(1, name).Int64(3, value).Int64(20, 2));

    public static OnnxAttribute Float(string name, float value) =>
        new(() => new ProtoWriter().String(1, name).Float(2, value).Int64(20, 1));

    public static OnnxAttribute Text(string name, string value) =>
        new(() => new ProtoWriter().String(1, name).String(4, value).Int64(20, 3));

    public static OnnxAttribute Ints(string name, params long[] values) =>
        new(() => new ProtoWriter().String(1, name).PackedInt64(8, values).Int64(20, 7));

    public static OnnxAttribute Floats(string name, params float[] values) =>
        new(() => new ProtoWriter().String(1, name).PackedFloat(7, values).Int64(20, 6));

    internal ProtoWriter ToProto() => _write();
}
