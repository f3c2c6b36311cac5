namespace IntelliFace.Models.Onnx;

/// <summary>
/// Rewrites the declared shapes of an ONNX model so ONNX Runtime runs it on inputs of other sizes:
/// the named input's height and width and every dimension of every output become symbolic, and the
/// graph's intermediate shape annotations (<c>value_info</c>), which would pin the old sizes, are
/// dropped. Nodes and weights are copied byte for byte.
/// </summary>
/// <remarks>
/// Only for fully convolutional graphs whose operators take their sizes from their inputs: a
/// Reshape to a constant shape would still fail at run time on another size.
/// Field numbers follow onnx/onnx.proto: ModelProto.graph 7; GraphProto.input 11, output 12,
/// value_info 13; ValueInfoProto.name 1, type 2; TypeProto.tensor_type 1; Tensor.shape 2;
/// TensorShapeProto.dim 1; Dimension.dim_value 1, dim_param 2.
/// </remarks>
internal static class OnnxShapeRewriter
{
    public static byte[] WithSymbolicSpatialInput(byte[] model, string inputName)
    {
        var rewritten = new ProtoWriter();
        var foundGraph = false;
        foreach (var field in ProtoReader.Fields(model))
        {
            if (field.Number == 7 && field.WireType == ProtoReader.Field.LengthDelimited)
            {
                rewritten.Message(7, RewriteGraph(field.Payload, inputName));
                foundGraph = true;
            }
            else
            {
                rewritten.Encoded(field.Encoded.Span);
            }
        }

        if (!foundGraph) throw new InvalidDataException("The ONNX model has no graph.");
        return rewritten.ToArray();
    }

    private static ProtoWriter RewriteGraph(ReadOnlyMemory<byte> graph, string inputName)
    {
        var rewritten = new ProtoWriter();
        var foundInput = false;
        foreach (var field in ProtoReader.Fields(graph))
        {
            switch (field.Number)
            {
                case 11 when NameOf(field.Payload) == inputName:
                    // NCHW: height and width become free; batch and channels stay.
                    rewritten.Message(11, RewriteValueInfo(field.Payload, index => index >= 2 ? $"{inputName}_{(index == 2 ? "height" : "width")}" : null));
                    foundInput = true;
                    break;
                case 12:
                    var output = NameOf(field.Payload);
                    rewritten.Message(12, RewriteValueInfo(field.Payload, index => $"{output}_d{index}"));
                    break;
                case 13:
                    break;
                default:
                    rewritten.Encoded(field.Encoded.Span);
                    break;
            }
        }

        if (!foundInput) throw new InvalidDataException($"The ONNX graph has no input named '{inputName}'.");
        return rewritten;
    }

    private static string? NameOf(ReadOnlyMemory<byte> valueInfo) =>
        ProtoReader.Fields(valueInfo).Where(f => f.Number == 1).Select(f => System.Text.Encoding.UTF8.GetString(f.Payload.Span)).FirstOrDefault();

    /// <param name="symbolName">The symbol for dimension i, or null to keep it as it is.</param>
    private static ProtoWriter RewriteValueInfo(ReadOnlyMemory<byte> valueInfo, Func<int, string?> symbolName) =>
        Rewrite(valueInfo, 2, type =>
            Rewrite(type, 1, tensor =>
                Rewrite(tensor, 2, shape =>
                {
                    var dims = new ProtoWriter();
                    var index = 0;
                    foreach (var dim in ProtoReader.Fields(shape))
                    {
                        var symbol = dim.Number == 1 ? symbolName(index++) : null;
                        if (symbol is null) dims.Encoded(dim.Encoded.Span);
                        else dims.Message(1, new ProtoWriter().String(2, symbol));
                    }

                    return dims;
                })));

    /// <summary>Copies a message, replacing the payload of its (single) sub-message field <paramref name="number"/>.</summary>
    private static ProtoWriter Rewrite(ReadOnlyMemory<byte> message, int number, Func<ReadOnlyMemory<byte>, ProtoWriter> rewrite)
    {
        var rewritten = new ProtoWriter();
        foreach (var field in ProtoReader.Fields(message))
        {
            if (field.Number == number && field.WireType == ProtoReader.Field.LengthDelimited) rewritten.Message(number, rewrite(field.Payload));
            else rewritten.Encoded(field.Encoded.Span);
        }

        return rewritten;
    }
}
