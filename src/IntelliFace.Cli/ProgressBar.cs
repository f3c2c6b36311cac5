namespace IntelliFace.Cli;

/// <summary>
/// A progress bar on stderr, redrawn in place on a terminal; when stderr is redirected, a line
/// (<c>label: status</c>) per tenth of the work instead.
/// </summary>
internal sealed class ProgressBar(TextWriter error, string label, long total)
{
    private const int Width = 30;
    private readonly bool _interactive = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
    private long _done;

    /// <param name="done">Work done so far, out of the total (0 to total).</param>
    /// <param name="status">What to show beside the bar, for example "12/65 photos, 1 failed".</param>
    public void Report(long done, string status)
    {
        var before = _done;
        _done = Math.Clamp(done, 0, total);
        if (!_interactive)
        {
            if (total > 0 && _done * 10 / total != before * 10 / total) error.WriteLine($"{label}: {status}");
            return;
        }

        var filled = total > 0 ? (int)(_done * Width / total) : Width;
        error.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {status}");
    }

    public void Finish()
    {
        if (_interactive) error.WriteLine();
    }
}

/// <summary>A <see cref="ProgressBar"/> per downloaded file, in megabytes.</summary>
internal sealed class DownloadProgressBars(TextWriter error)
{
    private ProgressBar? _bar;
    private string? _file;

    public void Report(IntelliFace.Models.DownloadProgress progress)
    {
        if (_file != progress.FileName)
        {
            _bar?.Finish();
            _bar = new ProgressBar(error, $"downloading {progress.FileName}", progress.Total);
            _file = progress.FileName;
        }

        _bar!.Report(progress.Received, $"{progress.FileName} {progress.Received / 1e6:F1}/{progress.Total / 1e6:F1} MB");
    }

    /// <summary>Ends the current bar's line (before any other message).</summary>
    public void Finish()
    {
        _bar?.Finish();
        _bar = null;
        _file = null;
    }
}
