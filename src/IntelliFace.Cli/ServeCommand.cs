using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using IntelliFace.Server;

namespace IntelliFace.Cli;

/// <summary><c>serve</c>: runs the HTTP service on the vault and pack the other commands open, until SIGINT or SIGTERM.</summary>
internal static class ServeCommand
{
    private static readonly Option<string?> ListenOption = new("--listen")
    {
        Description = $"Tenant API address, http://IP:PORT (default: ${ServerOptions.ListenVariable}, else {ServerOptions.DefaultListen}).",
    };

    private static readonly Option<string?> OperatorListenOption = new("--ops-listen")
    {
        Description = $"Operator API address, http://IP:PORT (default: ${ServerOptions.OperatorListenVariable}, else {ServerOptions.DefaultOperatorListen}).",
    };

    public static Command Create()
    {
        var command = new Command("serve", "Run the HTTP service: the tenant API and the operator API, until stopped (SIGINT, SIGTERM).")
        {
            ListenOption, OperatorListenOption,
        };
        command.SetAction(CliApplication.Handle((parse, context) =>
        {
            var options = ServerOptions.FromEnvironment();
            if (parse.GetValue(ListenOption) is { } listen) options = options with { Listen = listen };
            if (parse.GetValue(OperatorListenOption) is { } operatorListen) options = options with { OperatorListen = operatorListen };

            using var stop = new CancellationTokenSource();
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

            var server = IntelliFaceServer.StartAsync(options, context.Vault, context.Pack, stop.Token).GetAwaiter().GetResult();
            try
            {
                context.Output.Result(
                    new JsonObject { ["tenant_api"] = server.TenantApi.ToString(), ["operator_api"] = server.OperatorApi.ToString(), ["pack"] = context.Pack.Id.Value },
                    () => [$"serving the tenant API on {server.TenantApi} and the operator API on {server.OperatorApi} (pack {context.Pack.Id})"]);
                stop.Token.WaitHandle.WaitOne();
            }
            finally
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            return 0;

            void Stop(PosixSignalContext signal)
            {
                signal.Cancel = true;
                stop.Cancel();
            }
        }));
        return command;
    }
}
