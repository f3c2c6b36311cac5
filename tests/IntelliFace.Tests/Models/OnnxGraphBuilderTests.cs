using IntelliFace.Models.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace IntelliFace.Tests.Models;

public sealed class OnnxGraphBuilderTests
{
    [Fact]
    public void A_built_graph_loads_in_onnx_runtime_and_computes_what_its_nodes_say()
    {
        var graph = new OnnxGraphBuilder("affine");
        var x = graph.Input("x", -1, 3);
        var w = graph.Constant("w", [1f, 0f, 2f, 0f, 1f, -1f], 3, 2);
        var b = graph.Constant("b", [0.5f, -0.5f], 2);
        var product = graph.Node("MatMul", [x, w]);
        var sum = graph.Node("Add", [product, b]);
        var flat = graph.Node("Reshape", [sum, graph.Constant("shape", [-1L], 1)], "y");
        graph.Output(flat, -1);

        using var session = new InferenceSession(graph.ToModelBytes());
        var input = new DenseTensor<float>(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", input)]);

        // w rows: [1,0], [2,0], [1,-1]. [1,2,3]·w = [8,-3]; [4,5,6]·w = [20,-6]; plus b.
        Assert.Equal(new[] { 8.5f, -3.5f, 20.5f, -6.5f }, results[0].AsEnumerable<float>().ToArray());
    }

    [Fact]
    public void Node_attributes_reach_the_runtime()
    {
        var graph = new OnnxGraphBuilder("transpose");
        var x = graph.Input("x", 1, 2, 3);
        var y = graph.Node("Transpose", [x], "y", OnnxAttribute.Ints("perm", 0, 2, 1));
        graph.Output(y, 1, 3, 2);

        using var session = new InferenceSession(graph.ToModelBytes());
        var input = new DenseTensor<float>(new float[] { 1, 2, 3, 4, 5, 6 }, [1, 2, 3]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", input)]);

        Assert.Equal(new[] { 1f, 4f, 2f, 5f, 3f, 6f }, results[0].AsEnumerable<float>().ToArray());
    }
}
