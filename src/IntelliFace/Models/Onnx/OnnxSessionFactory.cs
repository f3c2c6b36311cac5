using Microsoft.ML.OnnxRuntime;

namespace IntelliFace.Models.Onnx;

/// <summary>
/// Creates ONNX Runtime sessions with the settings every network of ours uses. Sessions are
/// thread-safe for <c>Run</c>; create one per network and share it.
/// </summary>
internal static class OnnxSessionFactory
{
    static OnnxSessionFactory() => OnnxTelemetry.SwitchOff();

    /// <param name="intraOpThreads">Threads one inference may use; 1 keeps concurrent requests from fighting over cores.</param>
    public static InferenceSession Create(byte[] model, int intraOpThreads = 1)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        // With several sessions in one process on few cores, spinning worker threads made every
        // network about 2x slower; waiting threads must sleep instead.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        return new InferenceSession(model, options);
    }
}
