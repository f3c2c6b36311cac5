using IntelliFace.Bench;

return BenchCommands.Run(args);
