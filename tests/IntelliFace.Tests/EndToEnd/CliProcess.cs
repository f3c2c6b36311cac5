using System.Diagnostics;

namespace IntelliFace.Tests.EndToEnd;

/// <summary>Runs the real <c>intelliface</c> program (built next to the tests) as a child process.</summary>
internal static class CliProcess
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    public static Outcome Run(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(environment, arguments))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"intelliface {string.Join(' ', arguments)} did not finish in 10 minutes.");
        }

        return new Outcome(process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Starts the program with its output drained in the background, for a test that may kill it.</summary>
    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var process = Process.Start(StartInfo(environment, arguments))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "intelliface.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return start;
    }
}
