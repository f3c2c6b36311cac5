using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace IntelliFace.Bench.Report;

/// <summary>What the numbers were measured on, read from the running system (Linux <c>/proc</c> where available).</summary>
internal sealed record MachineInfo(string Cpu, int LogicalCores, string Memory, string Os, string DotNet, string OnnxRuntime, string Node)
{
    public static MachineInfo Describe() => new(
        Cpu: ProcField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        LogicalCores: Environment.ProcessorCount,
        Memory: MemoryTotal(),
        Os: $"{OsRelease()} ({RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture})",
        DotNet: RuntimeInformation.FrameworkDescription,
        OnnxRuntime: OrtEnv.Instance().GetVersionString(),
        Node: CommandOutput("node", "--version") ?? "not found");

    /// <summary>The machine in one line, for a section that is measured on its own.</summary>
    public string Summary => $"{Cpu}, {LogicalCores} logical cores, {Memory} RAM; {Os}; {DotNet}; ONNX Runtime {OnnxRuntime}";

    /// <summary>The 1, 5 and 15 minute load averages, to tell a quiet machine from a busy one.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string? ProcField(string file, string field) =>
        File.Exists(file)
            ? File.ReadLines(file).Where(l => l.StartsWith(field, StringComparison.Ordinal)).Select(l => l[(l.IndexOf(':') + 1)..].Trim()).FirstOrDefault()
            : null;

    private static string MemoryTotal()
    {
        var kib = ProcField("/proc/meminfo", "MemTotal")?.Split(' ')[0];
        return kib is null ? "n/a" : $"{double.Parse(kib, CultureInfo.InvariantCulture) / 1024 / 1024:F1} GiB";
    }

    private static string OsRelease() =>
        File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").Where(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                .Select(l => l["PRETTY_NAME=".Length..].Trim('"')).FirstOrDefault() ?? "Linux"
            : RuntimeInformation.OSDescription;

    public static string? CommandOutput(string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start);
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
