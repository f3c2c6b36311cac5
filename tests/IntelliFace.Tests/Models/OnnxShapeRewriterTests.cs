using IntelliFace.Models.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace IntelliFace.Tests.Models;

public sealed class OnnxShapeRewriterTests
{
    [Fact]
    public void A_graph_declared_for_4x4_inputs_runs_on_6x8_once_its_spatial_dimensions_are_symbolic()
    {
        var graph = new OnnxGraphBuilder("double");
        var x = graph.Input("image", 1, 2, 4, 4);
        var y = graph.Node("Mul", [x, graph.Constant("two", [2f], 1)], "doubled");
        graph.Output(y, 1, 2, 4, 4);
        var fixedModel = graph.ToModelBytes();
        var input = new DenseTensor<float>(Enumerable.Range(0, 2 * 6 * 8).Select(i => (float)i).ToArray(), [1, 2, 6, 8]);

        using (var fixedSession = new InferenceSession(fixedModel))
            Assert.Throws<OnnxRuntimeException>(() => fixedSession.Run([NamedOnnxValue.CreateFromTensor("image", input)]));

        using var session = new InferenceSession(OnnxShapeRewriter.WithSymbolicSpatialInput(fixedModel, "image"));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("image", input)]);

        Assert.Equal(new[] { 1, 2, 6, 8 }, results[0].AsTensor<float>().Dimensions.ToArray());
        Assert.Equal(input.Select(v => 2 * v), results[0].AsEnumerable<float>());
        Assert.Equal(new[] { 1, 2, -1, -1 }, session.InputMetadata["image"].Dimensions);
    }

    [Fact]
    public void A_model_without_the_named_input_is_refused()
    {
        var graph = new OnnxGraphBuilder("identity");
        graph.Output(graph.Node("Identity", [graph.Input("x", 1, 3)], "y"), 1, 3);

        var error = Assert.Throws<InvalidDataException>(() => OnnxShapeRewriter.WithSymbolicSpatialInput(graph.ToModelBytes(), "image"));

        Assert.Equal("The ONNX graph has no input named 'image'.", error.Message);
    }
}
