using System.Collections.Concurrent;
using System.Globalization;

namespace IntelliFace.Tests.Server;

/// <summary>
/// What happens in a folder tree while a test runs: every file created, changed, renamed or deleted (inotify), so that
/// a file written and deleted again is seen too, and a snapshot of names, sizes and times to compare before and after.
/// </summary>
internal sealed class FolderWatch : IDisposable
{
    private readonly string _root;
    private readonly FileSystemWatcher _watcher;
    private readonly ConcurrentQueue<string> _events = new();
    private Exception? _overflow;

    public FolderWatch(string root)
    {
        _root = root;
        _watcher = new FileSystemWatcher(root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            InternalBufferSize = 64 * 1024,
        };
        _watcher.Created += Record;
        _watcher.Changed += Record;
        _watcher.Deleted += Record;
        _watcher.Renamed += Record;
        _watcher.Error += (_, error) => _overflow = error.GetException();
        Before = Snapshot(root);
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>"path size mtime" of every file when the watch began, by path relative to the root.</summary>
    public IReadOnlyList<string> Before { get; }

    /// <summary>"Created name", "Changed name"... relative to the root, in the order they came.</summary>
    public IReadOnlyList<string> Events
    {
        get
        {
            if (_overflow is not null) throw new InvalidOperationException($"The watch of {_root} lost events.", _overflow);
            return [.. _events];
        }
    }

    public IReadOnlyList<string> Now() => Snapshot(_root);

    public static IReadOnlyList<string> Snapshot(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(path => new FileInfo(path))
            .Select(file => $"{Path.GetRelativePath(root, file.FullName)} {(file.Attributes.HasFlag(FileAttributes.Directory) ? "dir" : file.Length.ToString(CultureInfo.InvariantCulture))} {file.LastWriteTimeUtc:O}")
            .Order(StringComparer.Ordinal)];

    private void Record(object sender, FileSystemEventArgs change) => _events.Enqueue($"{change.ChangeType} {Path.GetRelativePath(_root, change.FullPath)}");

    public void Dispose() => _watcher.Dispose();
}
