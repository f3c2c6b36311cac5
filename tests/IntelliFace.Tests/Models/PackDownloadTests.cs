using System.Net;
using System.Net.Sockets;
using IntelliFace.Models;
using IntelliFace.Tests.Vault;
using IntelliFace.Tests.YuNet;

namespace IntelliFace.Tests.Models;

/// <summary>
/// The download path of pack files against a file server on loopback, with the real YuNet file and
/// its pinned hash: the right bytes are installed, wrong bytes are refused and leave nothing behind,
/// an interrupted download is resumed (or fetched whole from a server that cannot resume).
/// </summary>
public sealed class PackDownloadTests : IDisposable
{
    private static readonly byte[] YuNetBytes = File.ReadAllBytes(YuNetGolden.ModelPath);
    private static readonly PackFile YuNetFile = PackManifest.Load("yunet-sface").File("face_detection_yunet_2023mar.onnx");

    private readonly TestDirectory _root = new();
    private readonly HttpClient _http = new();

    private ModelStore Store => new(_root.Path);

    private string Installed => Store.PathOf(YuNetFile);

    public void Dispose()
    {
        _http.Dispose();
        _root.Dispose();
    }

    [Fact]
    public void A_file_with_its_pinned_hash_is_installed_with_progress_up_to_its_size()
    {
        using var server = new LoopbackFileServer(YuNetBytes);
        var progress = new List<DownloadProgress>();

        new PackInstaller(Store, _http).Download(YuNetFile with { Urls = [server.Url] }, downloading: progress.Add);

        Assert.Equal(YuNetFile.Sha256, ModelStore.Sha256Hex(Installed));
        Assert.Equal(new[] { Installed }, Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories));
        Assert.Equal(new DownloadProgress(YuNetFile.Name, 232_589, 232_589), progress[^1]);
        Assert.Equal(new string?[] { null }, server.RangeHeaders);
    }

    [Fact]
    public void A_file_with_another_hash_is_refused_and_nothing_is_left_behind()
    {
        var tampered = YuNetBytes.ToArray();
        tampered[1000] ^= 0xFF;
        using var server = new LoopbackFileServer(tampered);

        var error = Assert.Throws<FaceException>(() => new PackInstaller(Store, _http).Download(YuNetFile with { Urls = [server.Url] }));

        Assert.Equal(FaceErrorCode.ModelIntegrity, error.Code);
        Assert.StartsWith($"face_detection_yunet_2023mar.onnx as served by {server.Url} does not have its pinned sha256 (got ", error.Message);
        Assert.Empty(Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void An_interrupted_download_is_resumed_from_where_it_stopped()
    {
        using var server = new LoopbackFileServer(YuNetBytes, cutResponses: 1, cutAfter: 100_000);
        var messages = new List<string>();

        new PackInstaller(Store, _http).Download(YuNetFile with { Urls = [server.Url] }, messages.Add);

        Assert.Equal(YuNetFile.Sha256, ModelStore.Sha256Hex(Installed));
        Assert.Equal(new[] { null, "bytes=100000-" }, server.RangeHeaders);
        Assert.Contains(messages, m => m.EndsWith("trying again.", StringComparison.Ordinal));
    }

    [Fact]
    public void From_a_server_that_cannot_resume_an_interrupted_download_is_fetched_whole_again()
    {
        using var server = new LoopbackFileServer(YuNetBytes, cutResponses: 1, cutAfter: 100_000, honourRanges: false);

        new PackInstaller(Store, _http).Download(YuNetFile with { Urls = [server.Url] });

        Assert.Equal(YuNetFile.Sha256, ModelStore.Sha256Hex(Installed));
        Assert.Equal(new[] { null, "bytes=100000-" }, server.RangeHeaders);
        Assert.Equal(new[] { Installed }, Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_download_that_keeps_failing_keeps_what_arrived_and_the_next_install_resumes_it()
    {
        using (var failing = new LoopbackFileServer(YuNetBytes, cutResponses: int.MaxValue, cutAfter: 50_000))
        {
            var error = Assert.Throws<FaceException>(() => new PackInstaller(Store, _http).Download(YuNetFile with { Urls = [failing.Url] }));
            Assert.Equal(FaceErrorCode.ModelNotInstalled, error.Code);
            Assert.False(File.Exists(Installed));
            Assert.True(new FileInfo(Installed + ".partial").Length >= 50_000);
        }

        var kept = new FileInfo(Installed + ".partial").Length;
        using var server = new LoopbackFileServer(YuNetBytes);
        new PackInstaller(Store, _http).Download(YuNetFile with { Urls = [server.Url] });

        Assert.Equal(new[] { $"bytes={kept}-" }, server.RangeHeaders);
        Assert.Equal(new[] { Installed }, Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void An_address_that_fails_is_followed_by_the_next_one()
    {
        using var server = new LoopbackFileServer(YuNetBytes);

        new PackInstaller(Store, _http).Download(YuNetFile with { Urls = [server.Url + "-missing", server.Url] });

        Assert.Equal(YuNetFile.Sha256, ModelStore.Sha256Hex(Installed));
    }

    [Fact]
    public void A_local_copy_is_imported_into_the_folder_its_packs_load_it_from()
    {
        var (file, packs) = new PackInstaller(Store).Import(YuNetGolden.ModelPath);

        Assert.Equal((YuNetFile.Name, YuNetFile.Folder, YuNetFile.Sha256), (file.Name, file.Folder, file.Sha256));
        Assert.Contains("yunet-sface", packs);
        Assert.Equal(YuNetFile.Sha256, ModelStore.Sha256Hex(Path.Combine(_root.Path, "yunet", "face_detection_yunet_2023mar.onnx")));
    }

    [Fact]
    public void A_file_that_no_pack_pins_is_refused_on_import_and_nothing_is_written()
    {
        var stranger = Path.Combine(_root.Path, "face_recognition_sface_2021dec.onnx");
        File.WriteAllBytes(stranger, [1, 2, 3]);

        var error = Assert.Throws<FaceException>(() => new PackInstaller(new ModelStore(Path.Combine(_root.Path, "store"))).Import(stranger));

        Assert.Equal(FaceErrorCode.ModelIntegrity, error.Code);
        Assert.Equal(
            "face_recognition_sface_2021dec.onnx (sha256 039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81) is not a file of any model pack this release knows; nothing was imported.",
            error.Message);
        Assert.False(Directory.Exists(Path.Combine(_root.Path, "store")));
    }

    [Fact]
    public void A_file_in_the_folder_of_local_copies_is_imported_and_not_downloaded()
    {
        using var server = new LoopbackFileServer(YuNetBytes);
        var copies = Directory.CreateDirectory(_root.File("copies")).FullName;
        File.WriteAllBytes(Path.Combine(copies, YuNetFile.Name), YuNetBytes);
        var pack = PackManifest.Load("yunet-sface") with { Files = [YuNetFile with { Urls = [server.Url] }] };
        var messages = new List<string>();

        Assert.True(new PackInstaller(new ModelStore(_root.File("store")), _http).Install(pack, messages.Add, localCopies: copies));

        Assert.Equal(YuNetFile.Sha256, ModelStore.Sha256Hex(new ModelStore(_root.File("store")).PathOf(YuNetFile)));
        Assert.Empty(server.RangeHeaders);
        Assert.Equal([$"imported {YuNetFile.Name} from {copies}"], messages);
    }

    [Fact]
    public void A_file_missing_from_the_folder_of_local_copies_is_downloaded_and_a_missing_folder_is_refused()
    {
        using var server = new LoopbackFileServer(YuNetBytes);
        var copies = Directory.CreateDirectory(_root.File("empty")).FullName;
        var pack = PackManifest.Load("yunet-sface") with { Files = [YuNetFile with { Urls = [server.Url] }] };
        var installer = new PackInstaller(new ModelStore(_root.File("store")), _http);

        var error = Assert.Throws<FaceException>(() => installer.Install(pack, localCopies: _root.File("nowhere")));
        Assert.Equal(FaceErrorCode.InvalidArgument, error.Code);
        Assert.True(installer.Install(pack, localCopies: copies));

        Assert.Equal(YuNetFile.Sha256, ModelStore.Sha256Hex(new ModelStore(_root.File("store")).PathOf(YuNetFile)));
        Assert.Equal(new string?[] { null }, server.RangeHeaders);
    }
}

/// <summary>
/// Serves one byte array over HTTP on 127.0.0.1 for download tests. Honours <c>Range: bytes=N-</c>
/// with 206 unless told not to, and can cut its first <c>cutResponses</c> responses short after
/// <c>cutAfter</c> bytes (announcing the full length, then dropping the connection).
/// </summary>
internal sealed class LoopbackFileServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly byte[] _content;
    private readonly bool _honourRanges;
    private readonly int _cutAfter;
    private readonly List<string?> _ranges = [];
    private readonly Task _serving;
    private int _cutsLeft;

    public LoopbackFileServer(byte[] content, int cutResponses = 0, int cutAfter = 0, bool honourRanges = true)
    {
        _content = content;
        _cutsLeft = cutResponses;
        _cutAfter = cutAfter;
        _honourRanges = honourRanges;
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/models/file.onnx";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>The Range header of each request for the file, in order (null: none).</summary>
    public IReadOnlyList<string?> RangeHeaders
    {
        get
        {
            lock (_ranges) return _ranges.ToArray();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was stopped under a pending accept.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Serve(context);
        }
    }

    private void Serve(HttpListenerContext context)
    {
        var response = context.Response;
        if (context.Request.Url!.AbsolutePath != new Uri(Url).AbsolutePath)
        {
            response.StatusCode = 404;
            response.Close();
            return;
        }

        var range = context.Request.Headers["Range"];
        lock (_ranges) _ranges.Add(range);
        var start = 0;
        if (_honourRanges && range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            start = int.Parse(range["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
            response.StatusCode = 206;
            response.AddHeader("Content-Range", $"bytes {start}-{_content.Length - 1}/{_content.Length}");
        }

        response.ContentLength64 = _content.Length - start;
        try
        {
            if (Interlocked.Decrement(ref _cutsLeft) >= 0)
            {
                response.OutputStream.Write(_content, start, Math.Min(_cutAfter, _content.Length - start));
                response.OutputStream.Flush();
                response.Abort();
                return;
            }

            response.OutputStream.Write(_content, start, _content.Length - start);
            response.Close();
        }
        catch (HttpListenerException)
        {
            // The client went away.
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
