using System.Buffers.Binary;
using System.Text.Json;

namespace IntelliFace.Models.Tfjs;

/// <summary>
/// The weights of a TensorFlow.js layers/graph model, read from its <c>*-weights_manifest.json</c>
/// and the binary shards it names. Tensors follow one another in manifest order; quantised tensors
/// are expanded to float32 as TensorFlow.js does (<c>q * scale + min</c>, computed in double).
/// </summary>
internal sealed class TfjsWeights
{
    private readonly Dictionary<string, TfjsTensor> _tensors;

    private TfjsWeights(Dictionary<string, TfjsTensor> tensors) => _tensors = tensors;

    public IEnumerable<string> Names => _tensors.Keys;

    public TfjsTensor this[string name] =>
        _tensors.TryGetValue(name, out var tensor)
            ? tensor
            : throw new FaceException(FaceErrorCode.ModelIntegrity, $"The weight '{name}' is missing from the model files.");

    public static TfjsWeights Load(string manifestPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        var tensors = new Dictionary<string, TfjsTensor>(StringComparer.Ordinal);
        foreach (var group in manifest.RootElement.EnumerateArray())
        {
            var shards = group.GetProperty("paths").EnumerateArray()
                .Select(p => File.ReadAllBytes(Path.Combine(folder, p.GetString()!)))
                .SelectMany(bytes => bytes)
                .ToArray();
            var offset = 0;
            foreach (var entry in group.GetProperty("weights").EnumerateArray())
            {
                var tensor = ReadTensor(entry, shards, ref offset);
                tensors[tensor.Name] = tensor;
            }

            if (offset != shards.Length)
                throw new FaceException(FaceErrorCode.ModelIntegrity, $"The weight shards of {Path.GetFileName(manifestPath)} hold {shards.Length - offset} unexpected bytes.");
        }

        return new TfjsWeights(tensors);
    }

    private static TfjsTensor ReadTensor(JsonElement entry, byte[] data, ref int offset)
    {
        var name = entry.GetProperty("name").GetString()!;
        var shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var dtype = entry.GetProperty("dtype").GetString();
        var count = shape.Aggregate(1, (a, b) => a * b);
        var values = new float[count];

        if (entry.TryGetProperty("quantization", out var quantization))
        {
            var qType = quantization.GetProperty("dtype").GetString();
            var scale = quantization.GetProperty("scale").GetDouble();
            var min = quantization.GetProperty("min").GetDouble();
            var width = qType switch
            {
                "uint8" => 1,
                "uint16" => 2,
                _ => throw new FaceException(FaceErrorCode.ModelIntegrity, $"The weight '{name}' uses the unsupported quantisation '{qType}'."),
            };
            Require(data, offset, count * width, name);
            for (var i = 0; i < count; i++)
            {
                var q = width == 1 ? data[offset + i] : BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(offset + 2 * i));
                values[i] = (float)(q * scale + min);
            }

            offset += count * width;
        }
        else
        {
            Require(data, offset, count * 4, name);
            for (var i = 0; i < count; i++)
            {
                var span = data.AsSpan(offset + 4 * i, 4);
                values[i] = dtype == "int32" ? BinaryPrimitives.ReadInt32LittleEndian(span) : BinaryPrimitives.ReadSingleLittleEndian(span);
            }

            offset += count * 4;
        }

        return new TfjsTensor(name, shape, values);
    }

    private static void Require(byte[] data, int offset, int length, string name)
    {
        if (offset + length > data.Length)
            throw new FaceException(FaceErrorCode.ModelIntegrity, $"The weight shards end before the weight '{name}'.");
    }
}

/// <summary>A weight tensor in TensorFlow layout (convolution filters are [kh, kw, in, out]), as float32.</summary>
internal sealed record TfjsTensor(string Name, int[] Shape, float[] Values)
{
    public long[] Dims => Shape.Select(d => (long)d).ToArray();
}
