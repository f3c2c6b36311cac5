using System.CommandLine;
using IntelliFace.Bench.Http;
using IntelliFace.Bench.Lfw;
using IntelliFace.Bench.Report;
using IntelliFace.Bench.Stages;
using IntelliFace.Bench.Vault;
using IntelliFace.Imaging;
using IntelliFace.Models;
using IntelliFace.Recognition;

namespace IntelliFace.Bench;

/// <summary>
/// The bench's command line: <c>lfw</c>, <c>stages</c>, <c>packs</c> and <c>vault</c> print their results as Markdown;
/// <c>report</c> runs the first three and (re)writes BENCHMARKS.md, keeping the sections it does not measure;
/// <c>http</c> prints its section and replaces only that section of BENCHMARKS.md. Models come from
/// <c>$INTELLIFACE_MODELS</c>; progress goes to stderr.
/// </summary>
internal static class BenchCommands
{
    private static readonly Option<int> WorkersOption = new("--workers")
    {
        Description = "lfw: photos embedded concurrently, sharing one model pack.",
        DefaultValueFactory = _ => 2,
        Recursive = true,
    };

    private static readonly Option<int> PassesOption = new("--passes")
    {
        Description = "stages: timed passes over the golden photos per worker count.",
        DefaultValueFactory = _ => new StagesOptions().Passes,
        Recursive = true,
    };

    private static readonly Option<int> ReferenceRunsOption = new("--reference-runs")
    {
        Description = "stages: runs of face-api on the same photos (0 skips it; needs node and npm).",
        DefaultValueFactory = _ => new StagesOptions().ReferenceRuns,
        Recursive = true,
    };

    private static readonly Option<string[]> PackOption = new("--pack")
    {
        Description = "lfw: a model pack to measure (repeatable; default: every installed pack).",
        Recursive = true,
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<string> OutputOption = new("--output")
    {
        Description = "report, http: the file to (re)write (http replaces only its own section).",
        DefaultValueFactory = _ => Path.Combine(BenchPaths.RepositoryRoot, "BENCHMARKS.md"),
    };

    private static readonly Option<string> CommandTextOption = new("--command-text")
    {
        Description = "report: how the run was started, as written into the file.",
        DefaultValueFactory = _ => "./bench/run.sh",
    };

    private static readonly Option<string> HttpCommandTextOption = new("--command-text")
    {
        Description = "http: how the run was started, as written into its section.",
        DefaultValueFactory = _ => "./bench/run.sh http",
    };

    private static readonly Option<int> HttpSecondsOption = new("--seconds")
    {
        Description = "http: measured seconds per (operation, clients) cell, after the warm-up.",
        DefaultValueFactory = _ => new HttpBenchOptions().MeasuredSeconds,
    };

    private static readonly Option<int> HttpWarmUpOption = new("--warm-up")
    {
        Description = "http: warm-up seconds per cell, not measured.",
        DefaultValueFactory = _ => new HttpBenchOptions().WarmUpSeconds,
    };

    private static readonly Option<int> CliRunsOption = new("--cli-runs")
    {
        Description = "http: timed intelliface processes per operation for the CLI path.",
        DefaultValueFactory = _ => new HttpBenchOptions().CliRuns,
    };

    private static readonly Option<int> GalleryOption = new("--lfw-gallery")
    {
        Description = "http: LFW people enrolled besides the 13 DeepFace people, to give identify a larger gallery.",
        DefaultValueFactory = _ => new HttpBenchOptions().ExtraGallery,
    };

    public static int Run(string[] args)
    {
        var root = new RootCommand("IntelliFace benchmarks (not part of the test suite).")
        {
            WorkersOption, PassesOption, ReferenceRunsOption, PackOption,
            LfwCommand(), StagesCommand(), PacksCommand(), ReportCommand(), VaultCommand(), HttpCommand(),
        };
        return root.Parse(args).Invoke();
    }

    private static Command LfwCommand()
    {
        var command = new Command("lfw", "LFW accuracy and threshold calibration of every installed pack on ../shared/faces/lfw-dev (5-fold), and their ROC chart (bench/lfw-roc.png).");
        command.SetAction(parse =>
        {
            Print(LfwSection.Lines(RunLfw(parse)));
            return 0;
        });
        return command;
    }

    private static Command PacksCommand()
    {
        var command = new Command("packs", "The packs side by side: YuNet vs SSD detection, the alignments, the embedders, and enrollment end to end per installed pack.");
        command.SetAction(parse =>
        {
            using var inputs = GoldenInputs.Load();
            Print(PackComparisonSection.Lines(PackComparison.Run(inputs, parse.GetValue(PassesOption), Console.Error)));
            return 0;
        });
        return command;
    }

    private static Command StagesCommand()
    {
        var command = new Command("stages", "Per-stage timings on the golden PNGs (1 and 2 workers), embed vs bare ONNX Runtime, vault write, face-api reference.");
        command.SetAction(parse =>
        {
            Print(StagesSection.Lines(StagesSuite.Run(StagesOptionsOf(parse), Console.Error)));
            return 0;
        });
        return command;
    }

    private static Command ReportCommand()
    {
        var command = new Command("report", "Runs lfw and stages and (re)writes BENCHMARKS.md with the machine and every number measured.")
        {
            OutputOption, CommandTextOption,
        };
        command.SetAction(parse =>
        {
            var started = DateTimeOffset.UtcNow;
            var loadAtStart = MachineInfo.LoadAverage();
            var machine = MachineInfo.Describe();
            var lfw = RunLfw(parse);
            Print(LfwSection.Lines(lfw));
            var stages = StagesSuite.Run(StagesOptionsOf(parse), Console.Error);
            Print(StagesSection.Lines(stages));
            PackComparisonResult packs;
            using (var inputs = GoldenInputs.Load()) packs = PackComparison.Run(inputs, parse.GetValue(PassesOption), Console.Error);
            Print(PackComparisonSection.Lines(packs));

            var run = new RunContext(parse.GetRequiredValue(CommandTextOption), RunContext.CurrentCommit(), started, DateTimeOffset.UtcNow - started, loadAtStart, MachineInfo.LoadAverage());

            // Read only now: a section another command wrote while this one ran is kept too.
            var output = Path.GetFullPath(parse.GetRequiredValue(OutputOption));
            var previous = File.Exists(output) ? File.ReadAllText(output) : null;
            BenchmarksDocument.Write(output, BenchmarksDocument.Render(machine, run, lfw, stages, packs, previous));
            Console.Error.WriteLine($"report: wrote {output}");
            return 0;
        });
        return command;
    }

    private static Command VaultCommand()
    {
        var command = new Command("vault", "Seal/open cost per template, cold open of 100,000 templates, rotation throughput; SQLite, and PostgreSQL when INTELLIFACE_POSTGRES is set.");
        command.SetAction(_ =>
        {
            var results = new List<VaultNumbers>();
            var folder = Directory.CreateTempSubdirectory("intelliface-bench-vault");
            try
            {
                results.Add(VaultBenchmark.Run("SQLite", IntelliFace.Vault.VaultLocation.SqliteFolder(folder.FullName), Console.Error));
            }
            finally
            {
                folder.Delete(recursive: true);
            }
            if (Environment.GetEnvironmentVariable(IntelliFace.Vault.VaultPaths.PostgresVariable) is { Length: > 0 } postgres)
                results.Add(VaultBenchmark.Run("PostgreSQL", IntelliFace.Vault.VaultLocation.Postgres(postgres), Console.Error));
            Print(VaultBenchmark.Lines(results));
            return 0;
        });
        return command;
    }

    private static Command HttpCommand()
    {
        var command = new Command("http",
            "Verify and identify over HTTP to intelliface serve on loopback (1, 8, 32 clients: req/s, p50, p99), against the in-process call and one CLI process per request; replaces its section of BENCHMARKS.md.")
        {
            OutputOption, HttpCommandTextOption, HttpSecondsOption, HttpWarmUpOption, CliRunsOption, GalleryOption,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var started = DateTimeOffset.UtcNow;
            var commit = RunContext.CurrentCommit();
            var options = new HttpBenchOptions() with
            {
                MeasuredSeconds = parse.GetValue(HttpSecondsOption),
                WarmUpSeconds = parse.GetValue(HttpWarmUpOption),
                CliRuns = parse.GetValue(CliRunsOption),
                ExtraGallery = parse.GetValue(GalleryOption),
            };
            var result = await HttpBenchmark.RunAsync(options, Console.Error, cancellation);
            var section = HttpSection.Lines(MachineInfo.Describe(), parse.GetRequiredValue(HttpCommandTextOption), commit, started, result).ToArray();
            Print(section);
            var output = Path.GetFullPath(parse.GetRequiredValue(OutputOption));
            BenchmarksDocument.WriteSection(output, section);
            Console.Error.WriteLine($"http: wrote its section of {output}");
            return 0;
        });
        return command;
    }

    private static StagesOptions StagesOptionsOf(ParseResult parse) => new StagesOptions() with
    {
        Passes = parse.GetValue(PassesOption),
        ReferenceRuns = parse.GetValue(ReferenceRunsOption),
    };

    private const string RocChartFile = "bench/lfw-roc.png";

    private static LfwSection.LfwRun RunLfw(ParseResult parse)
    {
        var workers = parse.GetValue(WorkersOption);
        var store = ModelStore.FromEnvironment();
        var chosen = parse.GetValue(PackOption) is { Length: > 0 } names ? names.Select(PackManifest.Load).ToArray() : PackManifest.LoadAll();
        var list = LfwPairList.Load(BenchPaths.SharedPath("faces", "lfw-dev"));
        var results = new List<LfwResult>();
        var notInstalled = new List<string>();
        foreach (var manifest in chosen)
        {
            if (!store.IsInstalled(manifest))
            {
                notInstalled.Add(manifest.Name);
                continue;
            }

            using var pack = ModelPackLoader.Load(manifest, store);
            var pipeline = new FacePipeline(pack, new ImageIntake());
            Console.Error.WriteLine($"lfw: {list.Pairs.Count} pairs, {list.Images.Count} distinct images, pack {pack.Id}, {workers} worker(s)");
            results.Add(LfwBenchmark.Run(pipeline, list, workers, Console.Error));
        }

        string? chart = null;
        if (results.Count > 0)
        {
            RocChart.Write(results, Path.Combine(BenchPaths.RepositoryRoot, RocChartFile));
            chart = RocChartFile;
        }

        return new LfwSection.LfwRun(results, notInstalled, chart);
    }

    private static void Print(IEnumerable<string> lines)
    {
        foreach (var line in lines) Console.WriteLine(line);
        Console.WriteLine();
    }
}
