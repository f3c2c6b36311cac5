using System.Globalization;
using IntelliFace.Tenancy;
using Microsoft.Extensions.Logging;

namespace IntelliFace.Server;

/// <summary>
/// How the HTTP service runs. Defaults here, overridden by the environment (<see cref="FromEnvironment"/>), then by
/// the command line. Validated when the server starts.
/// </summary>
public sealed record ServerOptions
{
    public const string ListenVariable = "INTELLIFACE_LISTEN";
    public const string OperatorListenVariable = "INTELLIFACE_OPS_LISTEN";
    public const string RateLimitVariable = "INTELLIFACE_RATE_LIMIT";
    public const string PipelineSlotsVariable = "INTELLIFACE_PIPELINE_SLOTS";

    public const string DefaultListen = "http://127.0.0.1:8080";
    public const string DefaultOperatorListen = "http://127.0.0.1:8081";
    public const int DefaultRateLimit = 50;

    /// <summary>Where the tenant API (<c>/v1</c>) listens: <c>http://IP:PORT</c>; port 0 picks a free port.</summary>
    public string Listen { get; init; } = DefaultListen;

    /// <summary>Where the operator API (<c>/ops/v1</c>, <c>/metrics</c>) listens.</summary>
    public string OperatorListen { get; init; } = DefaultOperatorListen;

    /// <summary>Requests per second each API key may send (anonymous requests: each address).</summary>
    public int RateLimitPerSecond { get; init; } = DefaultRateLimit;

    /// <summary>How many requests a key may send at once before the rate applies: twice the rate.</summary>
    public int RateLimitBurst => RateLimitPerSecond * 2;

    /// <summary>How many requests run the face pipeline at once; the others wait their turn. One per core by default.</summary>
    public int PipelineSlots { get; init; } = Environment.ProcessorCount;

    /// <summary>The longest break-glass grant operators may request.</summary>
    public BreakGlassPolicy BreakGlass { get; init; } = BreakGlassPolicy.Default;

    /// <summary>Runs after the service's own logging setup (JSON lines on the console), for example to add a sink.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>The options from <c>INTELLIFACE_LISTEN</c>, <c>INTELLIFACE_OPS_LISTEN</c>, <c>INTELLIFACE_RATE_LIMIT</c>,
    /// <c>INTELLIFACE_PIPELINE_SLOTS</c> and <c>INTELLIFACE_BREAKGLASS_MAX_MINUTES</c>, defaults where unset.</summary>
    /// <exception cref="FaceException"><c>invalid_argument</c> for a rate that is no positive whole number.</exception>
    public static ServerOptions FromEnvironment()
    {
        var options = new ServerOptions { BreakGlass = BreakGlassPolicy.FromEnvironment() };
        if (Environment.GetEnvironmentVariable(ListenVariable) is { Length: > 0 } listen) options = options with { Listen = listen };
        if (Environment.GetEnvironmentVariable(OperatorListenVariable) is { Length: > 0 } opsListen) options = options with { OperatorListen = opsListen };
        if (Environment.GetEnvironmentVariable(RateLimitVariable) is { Length: > 0 } rate)
            options = options with { RateLimitPerSecond = ParsePositive(RateLimitVariable, rate, "requests per second") };
        if (Environment.GetEnvironmentVariable(PipelineSlotsVariable) is { Length: > 0 } slots)
            options = options with { PipelineSlots = ParsePositive(PipelineSlotsVariable, slots, "requests that run the pipeline at once") };
        return options;
    }

    internal void Validate()
    {
        if (RateLimitPerSecond < 1)
            throw new FaceException(FaceErrorCode.InvalidArgument, $"The rate limit is at least 1 request per second, not {RateLimitPerSecond}.");
        if (PipelineSlots < 1)
            throw new FaceException(FaceErrorCode.InvalidArgument, $"At least one request must be able to run the pipeline, not {PipelineSlots}.");
    }

    private static int ParsePositive(string variable, string text, string unit) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw new FaceException(FaceErrorCode.InvalidArgument, $"{variable} is a whole number of {unit} (1 or more), not '{text}'.");
}
