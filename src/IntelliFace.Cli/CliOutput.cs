using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntelliFace.Cli;

/// <summary>
/// Where a command's answer goes: JSON on stdout with <c>--json</c>, readable lines otherwise.
/// Errors are one line: <c>{"error": code, "message": ...}</c> on stdout with <c>--json</c>, or
/// <c>intelliface: message (code)</c> on stderr.
/// </summary>
internal sealed class CliOutput(TextWriter stdout, TextWriter stderr, bool json)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public bool Json => json;

    public TextWriter Error => stderr;

    /// <summary>Prints <paramref name="document"/> as JSON, or <paramref name="text"/> lines without <c>--json</c>.</summary>
    public void Result(JsonObject document, Func<IEnumerable<string>> text)
    {
        if (json)
        {
            stdout.WriteLine(document.ToJsonString(JsonOptions));
            return;
        }

        foreach (var line in text()) stdout.WriteLine(line);
    }

    public void Failure(string code, string message)
    {
        if (json)
            stdout.WriteLine(new JsonObject { ["error"] = code, ["message"] = message }.ToJsonString(JsonOptions));
        else
            stderr.WriteLine($"intelliface: {message} ({code})");
    }

    public void Warning(string message) => stderr.WriteLine($"intelliface: warning: {message}");
}
