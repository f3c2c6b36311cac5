using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntelliFace.Server;
using IntelliFace.Tests.EndToEnd;
using IntelliFace.Tests.Vault;
using Xunit.Abstractions;

namespace IntelliFace.Tests.Server;

/// <summary>
/// The privacy promise, checked on <c>intelliface serve</c>: a 10 MB photo sent every way the contract allows, to every
/// endpoint that takes photos, leaves no file behind in the temp folder or the program's folder, nothing in the data
/// folder but the databases, and no 64-byte run of itself (or of its base64) in the databases or the logs.
/// </summary>
public sealed class NoPhotoOnDiskTests(ITestOutputHelper output)
{
    private const string Subject = "large";

    [Fact]
    public async Task A_10_MB_photo_sent_every_way_to_every_endpoint_leaves_no_file_and_no_run_of_its_bytes()
    {
        using var root = new TestDirectory();
        var temp = Directory.CreateDirectory(root.File("tmp")).FullName;
        var data = root.File("data");
        var keyFile = Path.Combine(root.Path, "keys", "master.key");
        var environment = new Dictionary<string, string> { ["TMPDIR"] = temp, ["TEMP"] = temp, ["TMP"] = temp, [ServerOptions.RateLimitVariable] = "1000" };

        var photo = ScaledPhoto.Png("img1.jpg", 5.0 / 3);
        var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(photo.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(photo.AsSpan(20)));
        output.WriteLine($"the photo: PNG {width}x{height}, {photo.Length:N0} bytes");
        Assert.InRange(photo.Length, 8_000_000, 20 * 1024 * 1024);
        Assert.InRange((long)width * height, 1, 50_000_000);
        var small = File.ReadAllBytes(DeepFacePhotos.PathOf("img1.jpg"));
        (string Name, byte[] Bytes)[] sent =
        [
            ("the photo", photo), ("the photo in base64", Encoding.ASCII.GetBytes(Convert.ToBase64String(photo))),
            ("img1.jpg", small), ("img1.jpg in base64", Encoding.ASCII.GetBytes(Convert.ToBase64String(small))),
        ];
        AssertTheScannerFindsRunsOf(sent);

        var admin = CliProcess.Run(environment, "operators", "add", "ada", "--data", data, "--key-file", keyFile, "--json");
        Assert.True(admin.ExitCode == 0, admin.Stderr);
        var operatorKey = JsonDocument.Parse(admin.Stdout).RootElement.GetProperty("api_key").GetString()!;

        using var tempWatch = new FolderWatch(temp);
        // The program runs from the tests' own folder (CliProcess), which is then its content root.
        using var programWatch = new FolderWatch(AppContext.BaseDirectory);
        using var dataWatch = new FolderWatch(data);
        Assert.Empty(tempWatch.Before);
        int serveId;
        string stdout, stderr;
        using (var serve = ServeProcess.Start(environment, "--data", data, "--key-file", keyFile))
        {
            serveId = serve.Id;
            await SendEverywhere(serve, operatorKey, photo, small);
            Assert.Equal(0, serve.Terminate());
            (stdout, stderr) = (serve.Stdout, serve.Stderr);
        }
        // inotify delivers the last events a moment after the process has gone.
        await Task.Delay(TimeSpan.FromSeconds(1));

        // The runtime's debugger pipes and diagnostics socket: named pipes that hold nothing, gone when the process ends.
        var runtimePipes = new Regex($"^(Created|Changed|Deleted) (clr-debug-pipe-{serveId}-[0-9]+-(in|out)|dotnet-diagnostic-{serveId}-[0-9]+-socket)$");
        Assert.All(tempWatch.Events, e => Assert.Matches(runtimePipes, e));
        Assert.Empty(tempWatch.Now());
        Assert.Empty(programWatch.Events);
        Assert.Equal(programWatch.Before, programWatch.Now());
        var databaseFiles = new Regex(@"^(Created|Changed|Deleted|Renamed) (vault|keys)\.db(-wal|-shm|-journal)?$");
        Assert.All(dataWatch.Events, e => Assert.Matches(databaseFiles, e));
        Assert.Equal(["keys.db", "vault.db"], Directory.GetFileSystemEntries(data).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        output.WriteLine($"{tempWatch.Events.Count} events in the temp folder, {dataWatch.Events.Count} in the data folder, none in {programWatch.Before.Count} entries of the program's folder");

        var scanner = new ByteRunScanner();
        foreach (var file in Directory.GetFiles(data)) scanner.Add(Path.GetFileName(file), File.ReadAllBytes(file));
        scanner.Add("stdout", Encoding.UTF8.GetBytes(stdout));
        scanner.Add("stderr", Encoding.UTF8.GetBytes(stderr));
        output.WriteLine($"scanned the databases and the logs, {scanner.CorpusBytes:N0} bytes");
        foreach (var (name, bytes) in sent)
        {
            var leak = scanner.FindRunOf(bytes);
            Assert.True(leak is null, $"{name} has a 64-byte run in {leak}");
        }
    }

    /// <summary>Enroll, verify and identify with the photo in every encoding, compare with it as one photo of the pair; then a
    /// multipart body past the service's in-memory form threshold (and its limit), which must not be buffered to a file either.</summary>
    private async Task SendEverywhere(ServeProcess serve, string operatorKey, byte[] photo, byte[] small)
    {
        using var tenantApi = new HttpClient { BaseAddress = serve.TenantApi, Timeout = TimeSpan.FromMinutes(2) };
        using var operatorApi = new HttpClient { BaseAddress = serve.OperatorApi, Timeout = TimeSpan.FromMinutes(2) };
        using (var tenant = await ServerHarness.Send(operatorApi, HttpMethod.Post, "/ops/v1/tenants", PhotoEncodingTests.Json("tenant", "privacy"), operatorKey))
            Assert.Equal(HttpStatusCode.Created, tenant.StatusCode);
        var scopes = new StringContent("""{"scopes": ["enroll", "recognise"]}""", Encoding.UTF8, "application/json");
        using var created = await ServerHarness.Send(operatorApi, HttpMethod.Post, "/ops/v1/tenants/privacy/apikeys", scopes, operatorKey);
        var key = (await ServerHarness.JsonOf(created)).GetProperty("api_key").GetString()!;

        var encodings = PhotoEncodingTests.Encodings(photo, "image/png").ToArray();
        foreach (var (name, content) in encodings)
        {
            using var enrolled = await ServerHarness.Send(tenantApi, HttpMethod.Post, $"/v1/subjects/{Subject}/templates", content(), key);
            Assert.True(enrolled.StatusCode == HttpStatusCode.Created, $"enroll, {name}: {(int)enrolled.StatusCode} {await enrolled.Content.ReadAsStringAsync()}");
        }
        foreach (var (name, content) in encodings)
        {
            using var verified = await ServerHarness.Send(tenantApi, HttpMethod.Post, $"/v1/subjects/{Subject}/verify", content(), key);
            Assert.True(verified.StatusCode == HttpStatusCode.OK, $"verify, {name}: {(int)verified.StatusCode}");
            Assert.True((await ServerHarness.JsonOf(verified)).GetProperty("match").GetBoolean(), $"verify, {name}");
            using var identified = await ServerHarness.Send(tenantApi, HttpMethod.Post, "/v1/identify", content(), key);
            Assert.True(identified.StatusCode == HttpStatusCode.OK, $"identify, {name}: {(int)identified.StatusCode}");
            Assert.Equal(Subject, (await ServerHarness.JsonOf(identified)).GetProperty("match").GetString());
        }
        foreach (var (name, content) in PairEncodings(photo, small))
        {
            using var compared = await ServerHarness.Send(tenantApi, HttpMethod.Post, "/v1/compare", content(), key);
            Assert.True(compared.StatusCode == HttpStatusCode.OK, $"compare, {name}: {(int)compared.StatusCode}");
            Assert.True((await ServerHarness.JsonOf(compared)).GetProperty("match").GetBoolean(), $"compare, {name}");
        }

        // 57 MiB: past FormOptions.MemoryBufferThreshold (56 MiB), where the framework's form reader would spill to a file.
        var padding = new byte[57 * 1024 * 1024 - 2 * photo.Length];
        Random.Shared.NextBytes(padding);
        using var overThreshold = ProblemResponseTests.Multipart(("a", photo), ("b", photo), ("padding", padding));
        using var refused = await ServerHarness.Send(tenantApi, HttpMethod.Post, "/v1/compare", overThreshold, key);
        await ProblemAssertions.AssertProblem(refused, HttpStatusCode.RequestEntityTooLarge, "image_too_large", "/v1/compare");
        output.WriteLine($"{encodings.Length * 3} single-photo requests, {PairEncodings(photo, small).Count()} compares, one 57 MiB multipart refused");
    }

    private static IEnumerable<(string Name, Func<HttpContent> Content)> PairEncodings(byte[] a, byte[] b)
    {
        StringContent Json(Func<byte[], string> encode) =>
            new(JsonSerializer.Serialize(new Dictionary<string, string> { ["a"] = encode(a), ["b"] = encode(b) }), Encoding.UTF8, "application/json");
        yield return ("multipart files", () => ProblemResponseTests.Multipart(("a", a), ("b", b)));
        yield return ("multipart fields", () => new MultipartFormDataContent { { new ByteArrayContent(a), "a" }, { new ByteArrayContent(b), "b" } });
        yield return ("json base64", () => Json(Convert.ToBase64String));
        yield return ("json data urls", () => Json(photo => $"data:image/png;base64,{Convert.ToBase64String(photo)}"));
    }

    /// <summary>The control: a run of each input planted in a log line is found, so a clean scan means something.</summary>
    private static void AssertTheScannerFindsRunsOf((string Name, byte[] Bytes)[] inputs)
    {
        foreach (var (name, bytes) in inputs)
        {
            var control = new ByteRunScanner();
            byte[] line = [.. "{\"Message\":\""u8, .. bytes.AsSpan(bytes.Length / 2, ByteRunScanner.RunLength), .. "\"}"u8];
            control.Add("planted", line);
            Assert.True(control.FindRunOf(bytes) == "planted at byte 12", $"the scanner misses a run of {name}");
        }
    }
}
