using System.Text.Json;
using IntelliFace.Cli;
using IntelliFace.Tests.EndToEnd;
using IntelliFace.Tests.Vault;

namespace IntelliFace.Tests.Cli;

/// <summary><c>intelliface migrate</c> and <c>--pack</c>, in-process against a real vault and the installed default pack.</summary>
public sealed class MigrateCommandTests : IDisposable
{
    private readonly TestDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private JsonElement RunJson(int expectedExit, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CliApplication.Run(
            [.. args, "--json", "--data", Path.Combine(_root.Path, "data"), "--key-file", Path.Combine(_root.Path, "keys", "master.key")], stdout, stderr);
        Assert.True(expectedExit == exit, $"exit {exit}, expected {expectedExit}; stdout: {stdout} stderr: {stderr}");
        return JsonDocument.Parse(stdout.ToString()).RootElement.Clone();
    }

    [Fact]
    public void Migrate_reports_every_subject_without_a_template_of_the_target_pack()
    {
        RunJson(0, "enroll", "--tenant", "acme", "--subject", "bob", DeepFacePhotos.PathOf("img3.jpg"), "--pack", "faceapi-dlib");
        RunJson(0, "enroll", "--tenant", "acme", "--subject", "alice", DeepFacePhotos.PathOf("img1.jpg"));

        var report = RunJson(0, "migrate", "--tenant", "acme", "--to", "yunet-sface");
        var done = RunJson(0, "migrate", "--tenant", "acme", "--to", "faceapi-dlib");

        Assert.Equal("yunet-sface", report.GetProperty("to").GetString());
        Assert.Equal("yunet.arcface112.sface@0ba9fbfa-p1", report.GetProperty("pack").GetString());
        Assert.Equal(2, report.GetProperty("subjects").GetInt32());
        Assert.Equal(0, report.GetProperty("ready").GetInt32());
        Assert.Equal(new[] { "alice", "bob" }, report.GetProperty("need_new_photo").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(new[] { "ssd.dlib150.faceapi@b413e420-p1" }, report.GetProperty("other_packs").EnumerateArray().Select(s => s.GetString()));
        Assert.False(report.GetProperty("complete").GetBoolean());
        Assert.Equal(2, done.GetProperty("ready").GetInt32());
        Assert.True(done.GetProperty("complete").GetBoolean());
    }

    [Fact]
    public void An_unknown_pack_is_a_usage_error_naming_the_known_packs()
    {
        var unknownTarget = RunJson(2, "migrate", "--tenant", "acme", "--to", "sface");
        var unknownPack = RunJson(2, "compare", DeepFacePhotos.PathOf("img1.jpg"), DeepFacePhotos.PathOf("img2.jpg"), "--pack", "sface");

        Assert.Equal("invalid_argument", unknownTarget.GetProperty("error").GetString());
        Assert.Equal("There is no model pack 'sface'. Known packs: faceapi-dlib, yunet-dlibchip, yunet-faceapi-dlib, yunet-sface.", unknownPack.GetProperty("message").GetString());
    }

    [Fact]
    public void Migrate_with_retire_other_packs_says_what_it_erased_and_who_still_needs_a_new_photo()
    {
        RunJson(0, "enroll", "--tenant", "acme", "--subject", "bob", DeepFacePhotos.PathOf("img3.jpg"));

        var toSFace = RunJson(0, "migrate", "--tenant", "acme", "--to", "yunet-sface", "--retire-other-packs");
        var toDefault = RunJson(0, "migrate", "--tenant", "acme", "--to", "faceapi-dlib", "--retire-other-packs");

        Assert.Equal(0, toSFace.GetProperty("retired_templates").GetInt32());
        Assert.Empty(toSFace.GetProperty("retired_subjects").EnumerateArray());
        Assert.Equal(new[] { "bob" }, toSFace.GetProperty("need_new_photo").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(0, toDefault.GetProperty("retired_templates").GetInt32());
        Assert.Empty(toDefault.GetProperty("need_new_photo").EnumerateArray());
        var subjects = RunJson(0, "subjects", "list", "--tenant", "acme");
        Assert.Equal(1, subjects.GetProperty("subjects")[0].GetProperty("templates").GetInt32());
    }
}
