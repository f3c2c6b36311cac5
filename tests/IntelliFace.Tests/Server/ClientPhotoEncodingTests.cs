using IntelliFace.Client;
using IntelliFace.Tests.EndToEnd;
using static IntelliFace.Tests.Server.ClientFixture;

namespace IntelliFace.Tests.Server;

/// <summary>Every photo encoding of the client, chosen per call or per client, gives the identical answer for the same photo.</summary>
public sealed class ClientPhotoEncodingTests(ClientFixture fixture) : IClassFixture<ClientFixture>
{
    public static TheoryData<PhotoEncoding> Encodings() => new(Enum.GetValues<PhotoEncoding>());

    /// <summary>The photo from each source the client takes: an array, a slice of a larger buffer, a stream.</summary>
    private static async Task<PhotoContent[]> SourcesOf(string file)
    {
        var bytes = await File.ReadAllBytesAsync(DeepFacePhotos.PathOf(file));
        var padded = new byte[bytes.Length + 16];
        bytes.CopyTo(padded, 8);
        await using var stream = File.OpenRead(DeepFacePhotos.PathOf(file));
        return [PhotoContent.FromBytes(bytes), PhotoContent.FromMemory(padded.AsMemory(8, bytes.Length)), await PhotoContent.FromStreamAsync(stream)];
    }

    [Fact]
    public async Task Every_encoding_enrolls_the_same_face()
    {
        var photo = Photo("img1.jpg");
        var faces = new List<FaceInfo>();
        foreach (var encoding in Enum.GetValues<PhotoEncoding>())
            faces.Add((await fixture.Acme.EnrollAsync("encoded-enroll", photo, encoding)).Face);

        Assert.Single(faces.Distinct());
        Assert.Equal(4, Assert.Single((await fixture.Acme.ListSubjectsAsync()).Subjects, s => s.Subject == "encoded-enroll").Templates);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Verify_gives_the_identical_answer_in_every_encoding_and_from_every_source(PhotoEncoding encoding)
    {
        await fixture.OnceAsync("encoded-verify", () => fixture.Acme.EnrollAsync("encoded-verify", Photo("img26.jpg")));
        var reference = await fixture.Acme.VerifyAsync("encoded-verify", Photo("img27.jpg"), PhotoEncoding.Raw);
        var perClient = fixture.Tenant(fixture.Harness.TenantKey, encoding);

        var answers = new List<VerifyResult>();
        foreach (var source in await SourcesOf("img27.jpg"))
            answers.Add(await fixture.Acme.VerifyAsync("encoded-verify", source, encoding));
        answers.Add(await perClient.VerifyAsync("encoded-verify", Photo("img27.jpg")));

        Assert.True(reference.Match);
        Assert.All(answers, answer => Assert.Equal(reference, answer));
    }

    [Fact]
    public async Task Identify_and_compare_give_the_identical_answer_in_every_encoding()
    {
        await fixture.OnceAsync("encoded-verify", () => fixture.Acme.EnrollAsync("encoded-verify", Photo("img26.jpg")));
        var identified = new List<IdentifyResult>();
        var compared = new List<CompareResult>();
        foreach (var encoding in Enum.GetValues<PhotoEncoding>())
        {
            identified.Add(await fixture.Acme.IdentifyAsync(Photo("img28.jpg"), top: 3, encoding: encoding));
            compared.Add(await fixture.Acme.CompareAsync(Photo("img26.jpg"), Photo("img28.jpg"), encoding));
        }

        Assert.Equal("encoded-verify", identified[0].Match);
        Assert.All(identified, answer =>
        {
            Assert.Equal(identified[0] with { Candidates = Array.Empty<Candidate>() }, answer with { Candidates = Array.Empty<Candidate>() });
            Assert.Equal(identified[0].Candidates, answer.Candidates);
        });
        Assert.True(compared[0].Match);
        Assert.Single(compared.Distinct());
    }
}
