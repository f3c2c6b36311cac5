using System.Text;
using System.Text.Json;
using IntelliFace.Recognition;
using IntelliFace.Tests.Vault;
using Xunit.Abstractions;

namespace IntelliFace.Tests.EndToEnd;

/// <summary>
/// The privacy promise, checked on the real program: after enrolling every DeepFace photo, no file
/// under the data folder or the temp folder, and nothing the program printed, holds any 64-byte run
/// of any photo; and the database holds no embedding in plaintext.
/// </summary>
public sealed class NoPhotoPersistedTests(FaceApiPackFixture fixture, ITestOutputHelper output) : IClassFixture<FaceApiPackFixture>
{
    private static readonly string[] PhotoExtensions = [".jpg", ".jpeg", ".png", ".webp"];

    [Fact]
    public void Enrolling_a_folder_leaves_no_photo_bytes_and_no_plaintext_embedding_behind()
    {
        using var root = new TestDirectory();
        var data = Path.Combine(root.Path, "data");
        var temp = Directory.CreateDirectory(Path.Combine(root.Path, "tmp")).FullName;
        var keyFile = Path.Combine(root.Path, "keys", "master.key");
        var photosFolder = DeepFacePhotos.PathOf("");
        var photos = Directory.GetFiles(photosFolder).Where(f => PhotoExtensions.Contains(Path.GetExtension(f))).Order().ToArray();

        var run = CliProcess.Run(
            new Dictionary<string, string> { ["TMPDIR"] = temp },
            "enroll", "--tenant", "privacy", "--from-folder", photosFolder, "--data", data, "--key-file", keyFile, "--json");

        using var report = JsonDocument.Parse(run.Stdout);
        var enrolled = report.RootElement.GetProperty("enrolled").GetInt32();
        var refusals = report.RootElement.GetProperty("results").EnumerateArray()
            .Where(r => r.TryGetProperty("error", out _))
            .Select(r => $"{r.GetProperty("file").GetString()}:{r.GetProperty("error").GetString()}")
            .Order()
            .ToArray();
        output.WriteLine($"{photos.Length} photos, {enrolled} enrolled, refused: {string.Join(", ", refusals)}");
        Assert.Equal(["couple.jpg:multiple_faces", "selfie-many-people.jpg:multiple_faces"], refusals);
        Assert.Equal(photos.Length - 2, enrolled);
        Assert.Equal(1, run.ExitCode);

        var scanner = new ByteRunScanner();
        var written = Directory.GetFiles(data, "*", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(temp, "*", SearchOption.AllDirectories))
            .ToArray();
        foreach (var file in written) scanner.Add(Path.GetRelativePath(root.Path, file), File.ReadAllBytes(file));
        scanner.Add("stdout", Encoding.UTF8.GetBytes(run.Stdout));
        scanner.Add("stderr", Encoding.UTF8.GetBytes(run.Stderr));
        Assert.Contains(written, f => Path.GetFileName(f) == "vault.db");
        output.WriteLine($"scanned {written.Length} files and the output, {scanner.CorpusBytes:N0} bytes");

        foreach (var photo in photos)
        {
            var leak = scanner.FindRunOf(File.ReadAllBytes(photo));
            Assert.True(leak is null, $"{Path.GetFileName(photo)} has a 64-byte run in {leak}");
        }

        // The same pipeline in this process yields the embedding the program sealed for img1.jpg.
        var embedding = fixture.Pipeline.Embed(File.ReadAllBytes(DeepFacePhotos.PathOf("img1.jpg")), FaceSelection.Largest).Embedding;
        var plaintext = embedding.AsBytes().ToArray();
        foreach (var file in written)
        {
            var bytes = File.ReadAllBytes(file);
            for (var chunk = 0; chunk < plaintext.Length; chunk += 16)
                Assert.True(bytes.AsSpan().IndexOf(plaintext.AsSpan(chunk, 16)) < 0, $"{file} holds bytes {chunk}..{chunk + 15} of a plaintext embedding");
        }
    }
}
