using System.Text.Json;
using IntelliFace.Models;
using IntelliFace.Tests.Vault;

namespace IntelliFace.Tests.EndToEnd;

/// <summary>The program as shipped, with no pack chosen: it runs <c>yunet-dlibchip</c>, the default pack.</summary>
public sealed class DefaultPackCliTests : IDisposable
{
    // An empty INTELLIFACE_PACK is no choice: the program falls back to its default, as on a machine that never set it.
    private static readonly Dictionary<string, string> NoPackChosen = new() { [PackManifest.PackVariable] = "" };

    private readonly TestDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private JsonElement Run(params string[] arguments)
    {
        var outcome = CliProcess.Run(NoPackChosen, [.. arguments, "--json", "--data", _root.File("data"), "--key-file", _root.File("master.key")]);
        Assert.True(outcome.ExitCode == 0, $"intelliface {string.Join(' ', arguments)}: exit {outcome.ExitCode}, {outcome.Stderr}");
        return JsonDocument.Parse(outcome.Stdout).RootElement.Clone();
    }

    [Fact]
    public void Without_a_pack_chosen_the_program_enrolls_and_verifies_with_the_default_pack()
    {
        var manifest = PackManifest.Load(PackManifest.DefaultPackName);
        Assert.Equal("yunet-dlibchip", manifest.Name);

        var enrolled = Run("enroll", "--tenant", "acme", "--subject", "alice", DeepFacePhotos.PathOf("img1.jpg"));
        var same = Run("verify", "--tenant", "acme", "--subject", "alice", DeepFacePhotos.PathOf("img2.jpg"));
        var other = Run("verify", "--tenant", "acme", "--subject", "alice", DeepFacePhotos.PathOf("img3.jpg"));

        Assert.Equal("yunet.dlibchip150.faceapi@b413e420-p1", enrolled.GetProperty("pack").GetString());
        Assert.True(same.GetProperty("match").GetBoolean());
        Assert.Equal(manifest.Threshold.Cosine, same.GetProperty("threshold").GetDouble());
        Assert.False(other.GetProperty("match").GetBoolean());
        Assert.Equal("yunet.dlibchip150.faceapi@b413e420-p1", Run("subjects", "list", "--tenant", "acme").GetProperty("subjects")[0].GetProperty("packs")[0].GetString());
    }
}
