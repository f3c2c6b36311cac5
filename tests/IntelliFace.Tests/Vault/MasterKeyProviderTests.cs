using System.Runtime.Versioning;
using IntelliFace.Vault;

namespace IntelliFace.Tests.Vault;

/// <summary>Unix only: file modes are the point of several tests.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class MasterKeyProviderTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_missing_key_file_is_created_owner_only_once_and_reused()
    {
        var path = Path.Combine(_directory.Path, "config", "intelliface", "master.key");
        var created = new List<string>();
        var provider = new KeyFileMasterKeyProvider(path, createIfMissing: true, created.Add);

        using var first = provider.GetMasterKey();
        using var second = provider.GetMasterKey();
        using var third = new KeyFileMasterKeyProvider(path, createIfMissing: true, created.Add).GetMasterKey();

        Assert.Equal([path], created);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Id, third.Id);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        var text = File.ReadAllText(path);
        Assert.Equal(45, text.Length);
        Assert.EndsWith("\n", text);
        Assert.Equal(32, Convert.FromBase64String(text.Trim()).Length);
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Concurrent_first_runs_agree_on_one_key()
    {
        var path = _directory.File("master.key");
        var created = 0;

        var ids = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(8).Select(_ =>
        {
            using var key = new KeyFileMasterKeyProvider(path, createIfMissing: true, _ => Interlocked.Increment(ref created)).GetMasterKey();
            return key.Id;
        }).ToArray();

        Assert.Single(ids.Distinct());
        Assert.Equal(1, created);
    }

    [Fact]
    public void An_existing_key_file_is_read_and_not_reported_as_created()
    {
        var path = WriteKeyFile(Convert.ToBase64String(Hex.Range(0x00, 32)) + "\r\n");
        var created = new List<string>();

        using var key = new KeyFileMasterKeyProvider(path, createIfMissing: true, created.Add).GetMasterKey();

        Assert.Equal(KnownAnswers.MasterKeyId, key.Id);
        Assert.Empty(created);
    }

    [Fact]
    public void A_missing_key_file_without_create_is_key_unavailable()
    {
        var path = _directory.File("master.key");

        var error = Assert.Throws<FaceException>(() => new KeyFileMasterKeyProvider(path, createIfMissing: false).GetMasterKey());

        Assert.Equal(FaceErrorCode.KeyUnavailable, error.Code);
        Assert.Equal($"There is no master key file at {path}. Supply it, or set INTELLIFACE_MASTER_KEY.", error.Message);
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 at all")]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==")] // 16 bytes
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ==")] // 34 bytes
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8= trailing")]
    public void A_malformed_key_file_is_key_unavailable(string content)
    {
        var path = WriteKeyFile(content);

        var error = Assert.Throws<FaceException>(() => new KeyFileMasterKeyProvider(path, createIfMissing: true).GetMasterKey());

        Assert.Equal(FaceErrorCode.KeyUnavailable, error.Code);
        Assert.Equal($"The master key file {path} must hold the base64 of exactly 32 bytes.", error.Message);
    }

    [Fact]
    public void An_oversized_key_file_is_key_unavailable()
    {
        var path = WriteKeyFile(new string('A', 2000));

        var error = Assert.Throws<FaceException>(() => new KeyFileMasterKeyProvider(path, createIfMissing: false).GetMasterKey());

        Assert.Equal(FaceErrorCode.KeyUnavailable, error.Code);
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.GroupWrite)]
    public void A_key_file_accessible_to_others_is_refused(UnixFileMode extra)
    {
        var path = WriteKeyFile(Convert.ToBase64String(Hex.Range(0x00, 32)));
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | extra;
        File.SetUnixFileMode(path, mode);

        var error = Assert.Throws<FaceException>(() => new KeyFileMasterKeyProvider(path, createIfMissing: false).GetMasterKey());

        Assert.Equal(FaceErrorCode.KeyUnavailable, error.Code);
        Assert.Equal($"The master key file {path} is accessible to other users (mode {Convert.ToString((int)mode, 8)}); run: chmod 600 {path}", error.Message);
    }

    [Fact]
    public void The_environment_key_is_the_base64_of_32_bytes()
    {
        var variables = new Dictionary<string, string?> { ["INTELLIFACE_MASTER_KEY"] = " " + Convert.ToBase64String(Hex.Range(0x00, 32)) + "\n" };

        using var key = new EnvironmentMasterKeyProvider(name => variables.GetValueOrDefault(name)).GetMasterKey();

        Assert.Equal(KnownAnswers.MasterKeyId, key.Id);
    }

    [Theory]
    [InlineData(null, "INTELLIFACE_MASTER_KEY is not set.")]
    [InlineData("", "INTELLIFACE_MASTER_KEY is not set.")]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==", "INTELLIFACE_MASTER_KEY must be the base64 of exactly 32 bytes.")]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ==", "INTELLIFACE_MASTER_KEY must be the base64 of exactly 32 bytes.")]
    [InlineData("%%%", "INTELLIFACE_MASTER_KEY must be the base64 of exactly 32 bytes.")]
    public void A_missing_or_malformed_environment_key_is_key_unavailable(string? value, string message)
    {
        var error = Assert.Throws<FaceException>(() => new EnvironmentMasterKeyProvider(_ => value).GetMasterKey());

        Assert.Equal(FaceErrorCode.KeyUnavailable, error.Code);
        Assert.Equal(message, error.Message);
    }

    private string WriteKeyFile(string content)
    {
        var path = _directory.File("master.key");
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
