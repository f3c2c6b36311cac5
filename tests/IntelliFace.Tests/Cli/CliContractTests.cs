using System.Text.Json;
using IntelliFace.Cli;
using IntelliFace.Tests.EndToEnd;
using IntelliFace.Tests.Vault;
using Microsoft.Data.Sqlite;

namespace IntelliFace.Tests.Cli;

/// <summary>
/// The command-line contract that scripts rely on, run in-process against a real vault file and the
/// installed default pack: verbs, <c>--json</c> shapes, error codes and exit codes.
/// </summary>
public sealed class CliContractTests : IDisposable
{
    private readonly TestDirectory _root = new();

    private string Data => Path.Combine(_root.Path, "data");

    private string KeyFile => Path.Combine(_root.Path, "keys", "master.key");

    public void Dispose() => _root.Dispose();

    private (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CliApplication.Run([.. args, "--data", Data, "--key-file", KeyFile], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private JsonElement RunJson(int expectedExit, params string[] args)
    {
        var (exit, stdout, stderr) = Run([.. args, "--json"]);
        Assert.True(expectedExit == exit, $"exit {exit}, expected {expectedExit}; stdout: {stdout} stderr: {stderr}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static string Photo(string file) => DeepFacePhotos.PathOf(file);

    [Fact]
    public void Enroll_verify_identify_list_and_delete_answer_in_the_documented_json()
    {
        var enrolled = RunJson(0, "enroll", "--tenant", "acme", "--subject", "angelina", Photo("img1.jpg"));
        Assert.Equal("angelina", enrolled.GetProperty("subject").GetString());
        Assert.Equal(32, enrolled.GetProperty("template").GetString()!.Length);
        Assert.Equal(1, enrolled.GetProperty("face").GetProperty("faces_detected").GetInt32());

        var same = RunJson(0, "verify", "--tenant", "acme", "--subject", "angelina", Photo("img2.jpg"));
        Assert.True(same.GetProperty("match").GetBoolean());
        var other = RunJson(0, "verify", "--tenant", "acme", "--subject", "angelina", Photo("img3.jpg"));
        Assert.False(other.GetProperty("match").GetBoolean());
        Assert.True(same.GetProperty("similarity").GetDouble() > other.GetProperty("similarity").GetDouble());
        Assert.Equal(same.GetProperty("threshold").GetDouble(), other.GetProperty("threshold").GetDouble());

        var found = RunJson(0, "identify", "--tenant", "acme", "--top", "2", Photo("img4.jpg"));
        Assert.Equal("angelina", found.GetProperty("match").GetString());
        Assert.Equal("angelina", found.GetProperty("candidates")[0].GetProperty("subject").GetString());
        var stranger = RunJson(0, "identify", "--tenant", "acme", Photo("img3.jpg"));
        Assert.Equal(JsonValueKind.Null, stranger.GetProperty("match").ValueKind);
        Assert.Equal(0, stranger.GetProperty("candidates").GetArrayLength());

        var listed = RunJson(0, "subjects", "list", "--tenant", "acme");
        var subject = Assert.Single(listed.GetProperty("subjects").EnumerateArray());
        Assert.Equal("angelina", subject.GetProperty("subject").GetString());
        Assert.Equal(1, subject.GetProperty("templates").GetInt32());

        RunJson(0, "subjects", "delete", "--tenant", "acme", "--subject", "angelina");
        Assert.Equal(0, RunJson(0, "subjects", "list", "--tenant", "acme").GetProperty("subjects").GetArrayLength());
        Assert.Equal("unknown_subject", RunJson(1, "verify", "--tenant", "acme", "--subject", "angelina", Photo("img2.jpg")).GetProperty("error").GetString());
    }

    [Fact]
    public void Tenants_do_not_see_each_others_subjects()
    {
        RunJson(0, "enroll", "--tenant", "acme", "--subject", "angelina", Photo("img1.jpg"));

        Assert.Equal("unknown_subject", RunJson(1, "verify", "--tenant", "globex", "--subject", "angelina", Photo("img2.jpg")).GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, RunJson(0, "identify", "--tenant", "globex", Photo("img2.jpg")).GetProperty("match").ValueKind);
        Assert.Equal(0, RunJson(0, "subjects", "list", "--tenant", "globex").GetProperty("subjects").GetArrayLength());
        Assert.Equal("unknown_subject", RunJson(1, "subjects", "delete", "--tenant", "globex", "--subject", "angelina").GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("couple.jpg", "multiple_faces", 1)]
    [InlineData("../hard/derived/noface_black_224.png", "no_face", 1)]
    [InlineData("../hard/derived/tiny64w__img11.jpg", "face_too_small", 1)]
    [InlineData("../hard/derived/not_an_image.jpg", "unsupported_format", 1)]
    [InlineData("../hard/derived/truncated_half__img1.jpg", "corrupt_image", 1)]
    [InlineData("no-such-file.jpg", "invalid_argument", 2)]
    public void Enrollment_refusals_print_one_json_error_and_exit_non_zero(string file, string code, int exit)
    {
        var error = RunJson(exit, "enroll", "--tenant", "acme", "--subject", "someone", Photo(file));

        Assert.Equal(code, error.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(0, RunJson(0, "subjects", "list", "--tenant", "acme").GetProperty("subjects").GetArrayLength());
    }

    [Fact]
    public void Bad_usage_is_a_one_line_error_with_exit_code_2()
    {
        Assert.Equal("invalid_argument", RunJson(2, "enroll", "--subject", "x", Photo("img1.jpg")).GetProperty("error").GetString());
        Assert.Equal("invalid_argument", RunJson(2, "enroll", "--tenant", "a/b", "--subject", "x", Photo("img1.jpg")).GetProperty("error").GetString());
        Assert.Equal("invalid_argument", RunJson(2, "identify", "--tenant", "acme", "--top", "0", Photo("img1.jpg")).GetProperty("error").GetString());

        var (exit, stdout, stderr) = Run("verify", "--tenant", "acme", "--subject", "x", Photo("no-such-file.jpg"));
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("intelliface: There is no file", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("enroll", "--subject", "x", "img1.jpg")]
    [InlineData("identify", "--tenant", "acme", "--top", "abc", "img1.jpg")]
    [InlineData("compare", "img1.jpg")]
    [InlineData("no-such-verb")]
    public void Usage_errors_without_json_are_one_line_on_stderr_and_exit_2(params string[] args)
    {
        var (exit, stdout, stderr) = Run(args.Select(a => a.EndsWith(".jpg", StringComparison.Ordinal) ? Photo(a) : a).ToArray());

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("intelliface: ", line);
        Assert.EndsWith("(invalid_argument)", line);
    }

    [Fact]
    public void Ids_starting_with_an_at_sign_are_values_not_response_files()
    {
        var enrolled = RunJson(0, "enroll", "--tenant", "acme", "--subject", "@alice", Photo("img1.jpg"));

        Assert.Equal("@alice", enrolled.GetProperty("subject").GetString());
    }

    [Fact]
    public void A_device_or_a_folder_given_as_photo_is_refused_without_reading_it_all()
    {
        Assert.Equal("image_too_large", RunJson(1, "compare", "/dev/zero", Photo("img1.jpg")).GetProperty("error").GetString());
        Assert.Equal("invalid_argument", RunJson(2, "compare", _root.Path, Photo("img1.jpg")).GetProperty("error").GetString());
    }

    [Fact]
    public void Folder_enrollment_refuses_a_subject_or_photo_beside_the_folder()
    {
        var error = RunJson(2, "enroll", "--tenant", "acme", "--subject", "x", "--from-folder", Photo(""));

        Assert.Equal("invalid_argument", error.GetProperty("error").GetString());
        Assert.Equal(0, RunJson(0, "subjects", "list", "--tenant", "acme").GetProperty("subjects").GetArrayLength());
    }

    [Fact]
    public void A_damaged_database_is_reported_as_store_unavailable_with_exit_3()
    {
        RunJson(0, "enroll", "--tenant", "acme", "--subject", "angelina", Photo("img1.jpg"));
        File.WriteAllText(Path.Combine(Data, "vault.db"), "this is not a database");

        var error = RunJson(3, "subjects", "list", "--tenant", "acme");

        Assert.Equal("store_unavailable", error.GetProperty("error").GetString());
    }

    [Fact]
    public void A_vault_whose_key_file_is_gone_is_refused_and_no_new_key_is_made()
    {
        RunJson(0, "enroll", "--tenant", "acme", "--subject", "angelina", Photo("img1.jpg"));
        File.Delete(KeyFile);

        var error = RunJson(3, "verify", "--tenant", "acme", "--subject", "angelina", Photo("img2.jpg"));

        Assert.Equal("key_unavailable", error.GetProperty("error").GetString());
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public void Compare_answers_without_creating_a_vault()
    {
        var result = RunJson(0, "compare", Photo("img1.jpg"), Photo("img2.jpg"));

        Assert.True(result.GetProperty("match").GetBoolean());
        Assert.False(Directory.Exists(Data));
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public void A_template_copied_onto_another_subjects_or_tenants_row_fails_to_open_with_a_clear_error()
    {
        RunJson(0, "enroll", "--tenant", "acme", "--subject", "angelina", Photo("img1.jpg"));
        RunJson(0, "enroll", "--tenant", "acme", "--subject", "other", Photo("img3.jpg"));
        RunJson(0, "enroll", "--tenant", "globex", "--subject", "victim", Photo("img5.jpg"));

        using (var connection = new SqliteConnection($"Data Source={Path.Combine(Data, "vault.db")};Pooling=False"))
        {
            connection.Open();
            using var copy = connection.CreateCommand();
            copy.CommandText = """
                UPDATE templates SET sealed = (SELECT sealed FROM templates WHERE subject_id = 'angelina')
                WHERE subject_id IN ('other', 'victim');
                """;
            Assert.Equal(2, copy.ExecuteNonQuery());
        }

        var otherSubject = RunJson(1, "verify", "--tenant", "acme", "--subject", "other", Photo("img1.jpg"));
        Assert.Equal("template_unreadable", otherSubject.GetProperty("error").GetString());
        var otherTenant = RunJson(1, "identify", "--tenant", "globex", Photo("img1.jpg"));
        Assert.Equal("template_unreadable", otherTenant.GetProperty("error").GetString());
        Assert.True(RunJson(0, "verify", "--tenant", "acme", "--subject", "angelina", Photo("img2.jpg")).GetProperty("match").GetBoolean());
    }

    [Theory]
    [InlineData("alice/photo1.jpg", "alice")]
    [InlineData("alice/2024/photo1.jpg", "alice")]
    [InlineData("alice_0001.jpg", "alice")]
    [InlineData("George_W_Bush_0003.jpg", "George_W_Bush")]
    [InlineData("bob-12.png", "bob")]
    [InlineData("img11.jpg", "img11")]
    public void Folder_enrollment_takes_the_subject_from_the_sub_folder_or_the_file_name(string relative, string subject)
    {
        var folder = Path.Combine(_root.Path, "photos");
        Assert.Equal(subject, FolderEnrollment.SubjectOf(folder, Path.Combine(folder, relative)).Value);
    }
}
