using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntelliFace.Tenancy;

namespace IntelliFace.Cli;

/// <summary>
/// <c>enroll --from-folder DIR</c>: every photo in DIR becomes a template. The subject is the name of
/// the sub-folder a photo is in, or, for photos directly in DIR, the file name without its extension
/// and without a trailing <c>_NNNN</c> / <c>-NNNN</c> number. Hidden files and folders (names starting
/// with '.') are skipped. One photo's failure does not stop the run.
/// </summary>
internal static partial class FolderEnrollment
{
    private static readonly HashSet<string> PhotoExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp" };

    public static int Run(CliContext context, TenantId tenant, string folder)
    {
        if (!Directory.Exists(folder)) throw CliApplication.Invalid($"There is no folder '{folder}'.");
        var photos = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(p => PhotoExtensions.Contains(Path.GetExtension(p)) && !IsHidden(folder, p))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (photos.Length == 0) throw CliApplication.Invalid($"The folder '{folder}' holds no photos ({string.Join(", ", PhotoExtensions)}).");

        var progress = new ProgressBar(context.Output.Error, "enrolling", photos.Length);
        var results = new JsonArray();
        var failed = 0;
        foreach (var photo in photos)
        {
            var entry = new JsonObject { ["file"] = Path.GetRelativePath(folder, photo) };
            try
            {
                var subject = SubjectOf(folder, photo);
                entry["subject"] = subject.Value;
                var result = CliApplication.WithPhoto(photo, bytes => context.Service.Enroll(tenant, subject, bytes));
                entry["template"] = result.Template.Value;
            }
            catch (FaceException e)
            {
                failed++;
                entry["error"] = e.Code;
                entry["message"] = e.Message;
            }

            results.Add(entry);
            progress.Report(results.Count, $"{results.Count}/{photos.Length} photos, {failed} failed");
        }

        progress.Finish();
        var enrolled = photos.Length - failed;
        context.Output.Result(
            new JsonObject { ["tenant"] = tenant.Value, ["enrolled"] = enrolled, ["failed"] = failed, ["results"] = results },
            () => results.Select(r => r!["error"] is null
                    ? $"{r["file"]}\t{r["subject"]}\tenrolled"
                    : $"{r["file"]}\t{r["subject"]}\t{r["error"]}: {r["message"]}")
                .Append($"{enrolled} enrolled, {failed} failed"));
        return failed == 0 ? 0 : CliApplication.Refused;
    }

    internal static SubjectId SubjectOf(string folder, string photo)
    {
        var relative = Path.GetRelativePath(folder, photo);
        var firstFolder = relative.Split(Path.DirectorySeparatorChar)[0];
        if (firstFolder != relative) return new SubjectId(firstFolder);
        return new SubjectId(TrailingNumber().Replace(Path.GetFileNameWithoutExtension(photo), ""));
    }

    private static bool IsHidden(string folder, string photo) =>
        Path.GetRelativePath(folder, photo).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.'));

    [GeneratedRegex(@"[_-]\d+$")]
    private static partial Regex TrailingNumber();
}
