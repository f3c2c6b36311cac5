using System.Net;
using System.Security.Cryptography;
using IntelliFace.Client;
using static IntelliFace.Tests.Server.ClientFixture;

namespace IntelliFace.Tests.Server;

/// <summary>
/// Tenant isolation over the HTTP API: acme's key never reads, changes or learns about globex's subjects. globex holds
/// <c>carol</c> (absent from acme) and <c>dual</c>, an id both tenants use for different people.
/// </summary>
public sealed class TenantIsolationApiTests(ClientFixture fixture) : IClassFixture<ClientFixture>
{
    private const string GlobexOnly = "carol";
    private const string NeverExisted = "never-existed";

    private IntelliFaceClient Acme => fixture.Acme;

    private IntelliFaceClient Globex => fixture.Globex;

    /// <summary>Every tenant endpoint that names a subject, called for <c>subject</c>.</summary>
    private static readonly Dictionary<string, Func<IntelliFaceClient, string, Task>> SubjectEndpoints = new()
    {
        ["verify"] = (client, subject) => client.VerifyAsync(subject, Photo("img9.jpg")),
        ["get subject"] = (client, subject) => client.GetSubjectAsync(subject),
        ["list templates"] = (client, subject) => client.ListTemplatesAsync(subject),
        ["export"] = (client, subject) => client.ExportSubjectAsync(subject),
        ["export with templates"] = (client, subject) => client.ExportSubjectAsync(subject, RecipientKey),
        ["erase"] = (client, subject) => client.EraseSubjectAsync(subject),
    };

    private static readonly string RecipientKey = RSA.Create(2048).ExportSubjectPublicKeyInfoPem();

    public static TheoryData<string> Endpoints() => new(SubjectEndpoints.Keys);

    private Task SeedAsync() => fixture.OnceAsync("isolation", async () =>
    {
        await Globex.EnrollAsync(GlobexOnly, Photo("img8.jpg"));
        await Globex.EnrollAsync("dual", Photo("img26.jpg"));
        await Acme.EnrollAsync("alice", Photo("img1.jpg"));
        await Acme.EnrollAsync("dual", Photo("img3.jpg"));
    });

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Another_tenants_subject_gets_the_same_404_as_an_id_that_never_existed(string endpoint)
    {
        await SeedAsync();
        var call = SubjectEndpoints[endpoint];

        var elsewhere = await Refusal(() => call(Acme, GlobexOnly), HttpStatusCode.NotFound, "unknown_subject");
        var nowhere = await Refusal(() => call(Acme, NeverExisted), HttpStatusCode.NotFound, "unknown_subject");

        Assert.Equal(nowhere.Title, elsewhere.Title);
        Assert.Equal(nowhere.Detail, elsewhere.Detail!.Replace(GlobexOnly, NeverExisted, StringComparison.Ordinal));
        Assert.Equal(nowhere.Instance, elsewhere.Instance!.Replace(GlobexOnly, NeverExisted, StringComparison.Ordinal));
        Assert.Equal(nowhere.Extensions.Keys, elsewhere.Extensions.Keys);
        await AssertCarolIsIntactAsync();
    }

    [Fact]
    public async Task Identify_never_names_another_tenants_subject_even_for_a_photo_of_that_person()
    {
        await SeedAsync();

        var carolsPhoto = await Acme.IdentifyAsync(Photo("img9.jpg"), top: 100);
        var globexDualsPhoto = await Acme.IdentifyAsync(Photo("img27.jpg"), top: 100);

        Assert.Null(carolsPhoto.Match);
        Assert.DoesNotContain(carolsPhoto.Candidates, c => c.Subject == GlobexOnly);
        Assert.Null(globexDualsPhoto.Match);
        Assert.Equal("carol", (await Globex.IdentifyAsync(Photo("img9.jpg"))).Match);
        Assert.Equal("dual", (await Globex.IdentifyAsync(Photo("img27.jpg"))).Match);
    }

    [Fact]
    public async Task Verify_of_an_id_both_tenants_use_compares_only_with_the_callers_own_templates()
    {
        await SeedAsync();

        Assert.False((await Acme.VerifyAsync("dual", Photo("img27.jpg"))).Match);
        Assert.True((await Acme.VerifyAsync("dual", Photo("img12.jpg"))).Match);
        Assert.True((await Globex.VerifyAsync("dual", Photo("img27.jpg"))).Match);
        Assert.False((await Globex.VerifyAsync("dual", Photo("img12.jpg"))).Match);
    }

    [Fact]
    public async Task Listing_shows_only_the_callers_own_subjects_and_their_own_templates()
    {
        await SeedAsync();

        var acme = await Acme.ListSubjectsAsync();
        var globex = await Globex.ListSubjectsAsync();

        Assert.Equal("acme", acme.Tenant);
        Assert.DoesNotContain(acme.Subjects, s => s.Subject == GlobexOnly);
        Assert.Equal(1, acme.Subjects.Single(s => s.Subject == "dual").Templates);
        Assert.Single((await Acme.ListTemplatesAsync("dual")).Templates);
        Assert.Equal("globex", globex.Tenant);
        Assert.DoesNotContain(globex.Subjects, s => s.Subject == "alice");
        Assert.Equal(1, globex.Subjects.Single(s => s.Subject == "dual").Templates);
    }

    [Fact]
    public async Task Enrolling_or_recording_consent_under_another_tenants_id_makes_the_callers_own_and_leaves_the_other_untouched()
    {
        await SeedAsync();
        var before = await Globex.ListTemplatesAsync("dual");

        await Acme.RecordConsentAsync("gus", LawfulBasis.ExplicitConsent, "v1");
        await Globex.EnrollAsync("gus", Photo("img3.jpg"));
        await Acme.EnrollAsync("gus", Photo("img1.jpg"));
        await Acme.RecordConsentAsync(GlobexOnly, LawfulBasis.ExplicitConsent, "v1");

        Assert.Equal(before.Templates.Select(t => t.Template), (await Globex.ListTemplatesAsync("dual")).Templates.Select(t => t.Template));
        var globexGus = await Globex.ExportSubjectAsync("gus");
        Assert.Null(globexGus.Consent);
        Assert.Single(globexGus.Templates);
        Assert.Equal(["enroll"], globexGus.Audit.Select(e => e.Action));
        Assert.Equal("acme", (await Acme.ExportSubjectAsync("gus")).Consent?.Tenant);
        Assert.True((await Globex.VerifyAsync("gus", Photo("img53.jpg"))).Match);
        Assert.False((await Acme.VerifyAsync("gus", Photo("img53.jpg"))).Match);
        var carol = await Globex.ExportSubjectAsync(GlobexOnly);
        Assert.Null(carol.Consent);
        Assert.DoesNotContain(carol.Audit, e => e.Action == "consent.record");
    }

    [Fact]
    public async Task Another_tenants_audit_trail_never_shows_the_callers_attempts()
    {
        await SeedAsync();
        var start = (await Globex.ExportAuditAsync()).Entries[^1].Seq;

        foreach (var call in SubjectEndpoints.Values)
            await Assert.ThrowsAsync<IntelliFaceApiException>(() => call(Acme, GlobexOnly));
        var trail = await Globex.ExportAuditAsync(after: start);

        Assert.All(trail.Entries, e => Assert.Equal("globex", e.Tenant));
        Assert.Equal(["audit.export"], trail.Entries.Select(e => e.Action));
        Assert.Contains((await Acme.ExportAuditAsync(after: start)).Entries, e => e.Subject == GlobexOnly && e.Outcome == "unknown_subject");
    }

    /// <summary>globex's carol, seen with globex's key: one template, still recognised.</summary>
    private async Task AssertCarolIsIntactAsync()
    {
        Assert.Equal(1, (await Globex.GetSubjectAsync(GlobexOnly)).Templates);
        Assert.Single((await Globex.ListTemplatesAsync(GlobexOnly)).Templates);
        Assert.True((await Globex.VerifyAsync(GlobexOnly, Photo("img9.jpg"))).Match);
    }
}
