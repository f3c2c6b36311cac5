using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace IntelliFace.Models.Onnx;

/// <summary>
/// ONNX Runtime's official Linux and macOS builds (1.2x on) send usage telemetry to Microsoft and keep a session file
/// (<c>.ses</c>) in the temp folder. A service that promises to write nothing but its vault, and whose hosts may be cut
/// off from the internet, must not: <c>ORT_DISABLE_TELEMETRY=1</c>, read by the native library once, when its
/// environment is created, turns all of it off. It has to be in the process's native environment
/// (<see cref="Environment.SetEnvironmentVariable(string, string)"/> only changes .NET's copy on Unix), before the first
/// ONNX Runtime object. Windows builds report through ETW instead, which the runtime call below turns off.
/// </summary>
internal static class OnnxTelemetry
{
    private const string Variable = "ORT_DISABLE_TELEMETRY";

    public static void SwitchOff()
    {
        if (!OperatingSystem.IsWindows() && setenv(Variable, "1", 1) != 0)
            throw new InvalidOperationException($"Cannot set {Variable} for ONNX Runtime (errno {Marshal.GetLastPInvokeError()}).");
        OrtEnv.Instance().DisableTelemetryEvents();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
