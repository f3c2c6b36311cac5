using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntelliFace.Client;
using static IntelliFace.Tests.Server.ClientFixture;

namespace IntelliFace.Tests.Server;

/// <summary>Every tenant endpoint through the typed client over loopback: status, headers and the documents' fields.</summary>
public sealed class ClientEndpointTests(ClientFixture fixture) : IClassFixture<ClientFixture>
{
    private IntelliFaceClient Acme => fixture.Acme;

    private ResponseRecorder Recorder => fixture.Recorder;

    [Fact]
    public async Task Enroll_answers_201_with_the_templates_location_and_the_enroll_document()
    {
        var enrolled = await Acme.EnrollAsync("enrolled-anna", Photo("img1.jpg"));

        Assert.Equal(HttpStatusCode.Created, Recorder.Last.Status);
        Assert.Equal($"/v1/subjects/enrolled-anna/templates/{enrolled.Template}", enrolled.Location?.OriginalString);
        Assert.Equal(enrolled.Location, Recorder.Last.Location);
        Assert.Equal(enrolled with { Location = null }, Recorder.AssertMapsEveryMember<EnrollResult>());
        Assert.Equal(("acme", "enrolled-anna", fixture.PackId), (enrolled.Tenant, enrolled.Subject, enrolled.Pack));
        Assert.False(string.IsNullOrEmpty(enrolled.Template));
        Assert.Equal(1, enrolled.Face.FacesDetected);
        Assert.InRange(enrolled.Face.Score, 0.5, 1);
        Assert.True(enrolled.Face.Box is { X: >= 0, Y: >= 0, Width: >= 40, Height: >= 40 }, enrolled.Face.ToString());
    }

    [Fact]
    public async Task Verify_of_the_same_person_matches_and_of_another_person_does_not()
    {
        await Acme.EnrollAsync("verified-bert", Photo("img26.jpg"));

        var same = await Acme.VerifyAsync("verified-bert", Photo("img28.jpg"));
        Assert.Equal(HttpStatusCode.OK, Recorder.Last.Status);
        Assert.Equal(same, Recorder.AssertMapsEveryMember<VerifyResult>());
        var other = await Acme.VerifyAsync("verified-bert", Photo("img9.jpg"));

        Assert.True(same.Match);
        Assert.InRange(same.Similarity, fixture.Threshold, 1);
        Assert.Equal((fixture.Threshold, "verified-bert", fixture.PackId, 1), (same.Threshold, same.Subject, same.Pack, same.Face.FacesDetected));
        Assert.False(other.Match);
        Assert.True(other.Similarity < fixture.Threshold, $"{other.Similarity}");
        Assert.Equal(fixture.Threshold, other.Threshold);
    }

    [Fact]
    public async Task Identify_names_the_enrolled_person_and_answers_no_match_for_a_stranger_or_a_stricter_threshold()
    {
        var tenant = await fixture.NewTenantAsync("identified");
        await tenant.EnrollAsync("cara", Photo("img8.jpg"));
        await tenant.EnrollAsync("dora", Photo("img3.jpg"));

        var cara = await tenant.IdentifyAsync(Photo("img9.jpg"));
        Assert.Equal(cara, Recorder.AssertMapsEveryMember<IdentifyResult>() with { Candidates = cara.Candidates });
        var stranger = await tenant.IdentifyAsync(Hard("public/pillow__hopper.png"), top: 1);
        var strict = await tenant.IdentifyAsync(Photo("img9.jpg"), threshold: 0.99);

        Assert.Equal("cara", cara.Match);
        Assert.InRange(Assert.Single(cara.Candidates, c => c.Subject == "cara").Similarity, fixture.Threshold, 1);
        Assert.Single(cara.Candidates);
        Assert.Equal((fixture.Threshold, fixture.PackId, 1), (cara.Threshold, cara.Pack, cara.Face.FacesDetected));
        Assert.Equal((null, 0), (stranger.Match, stranger.Candidates.Count));
        Assert.Equal((null, 0, 0.99), (strict.Match, strict.Candidates.Count, strict.Threshold));
        var both = await tenant.IdentifyAsync(Photo("img9.jpg"), threshold: fixture.Threshold, top: 1);
        Assert.Equal(cara with { Candidates = Array.Empty<Candidate>() }, both with { Candidates = Array.Empty<Candidate>() });
        Assert.Equal(cara.Candidates, both.Candidates);
    }

    [Fact]
    public async Task Compare_two_photos_of_one_person_matches_and_of_two_people_does_not()
    {
        var same = await Acme.CompareAsync(Photo("img1.jpg"), Photo("img2.jpg"));
        Assert.Equal(same, Recorder.AssertMapsEveryMember<CompareResult>());
        var other = await Acme.CompareAsync(Photo("img1.jpg"), Photo("img8.jpg"));

        Assert.True(same.Match);
        Assert.InRange(same.Similarity, fixture.Threshold, 1);
        Assert.Equal((fixture.Threshold, fixture.PackId), (same.Threshold, same.Pack));
        Assert.Equal(1, same.FaceA.FacesDetected);
        Assert.NotEqual(same.FaceA, same.FaceB);
        Assert.False(other.Match);
        Assert.Equal(same.FaceA, other.FaceA);
    }

    [Fact]
    public async Task Subjects_and_templates_are_listed_with_their_metadata_and_never_an_embedding()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var first = await Acme.EnrollAsync("listed-anna", Photo("img5.jpg"));
        var second = await Acme.EnrollAsync("listed-anna", Photo("img6.jpg"));

        var listed = Assert.Single((await Acme.ListSubjectsAsync()).Subjects, s => s.Subject == "listed-anna");
        var all = Recorder.AssertMapsEveryMember<SubjectList>();
        var subject = await Acme.GetSubjectAsync("listed-anna");
        Assert.Equal(subject, Recorder.AssertMapsEveryMember<SubjectInfo>() with { Packs = subject.Packs });
        var templates = await Acme.ListTemplatesAsync("listed-anna");
        var templatesBody = Recorder.Last.Body;
        Recorder.AssertMapsEveryMember<TemplateList>();

        Assert.Equal("acme", all.Tenant);
        Assert.Equal((2, fixture.PackId), (listed.Templates, Assert.Single(listed.Packs)));
        Assert.InRange(listed.CreatedUtc, before, DateTimeOffset.UtcNow);
        Assert.Equal((listed.Subject, listed.Templates, listed.CreatedUtc), (subject.Subject, subject.Templates, subject.CreatedUtc));
        Assert.Equal(listed.Packs, subject.Packs);
        Assert.Equal("listed-anna", templates.Subject);
        Assert.Equal(new[] { first.Template, second.Template }.Order(), templates.Templates.Select(t => t.Template).Order());
        Assert.All(templates.Templates, t =>
        {
            Assert.Equal((fixture.PackId, 1), (t.Pack, t.KeyVersion));
            Assert.InRange(t.CreatedUtc, before, DateTimeOffset.UtcNow);
            Assert.True(t.LastUsedUtc >= t.CreatedUtc);
        });
        Assert.DoesNotContain("embedding", templatesBody, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Erase_answers_204_and_the_subject_is_unknown_from_then_on()
    {
        await Acme.EnrollAsync("erased-anna", Photo("img7.jpg"));

        await Acme.EraseSubjectAsync("erased-anna");

        Assert.Equal((HttpStatusCode.NoContent, ""), (Recorder.Last.Status, Recorder.Last.Body));
        await Refusal(() => Acme.GetSubjectAsync("erased-anna"), HttpStatusCode.NotFound, "unknown_subject");
        await Refusal(() => Acme.ListTemplatesAsync("erased-anna"), HttpStatusCode.NotFound, "unknown_subject");
        await Refusal(() => Acme.EraseSubjectAsync("erased-anna"), HttpStatusCode.NotFound, "unknown_subject");
        Assert.DoesNotContain((await Acme.ListSubjectsAsync()).Subjects, s => s.Subject == "erased-anna");
    }

    [Fact]
    public async Task Consent_is_recorded_and_the_export_holds_it_with_the_subjects_audit_and_templates_sealed_only_for_the_recipient()
    {
        var given = new DateTimeOffset(2026, 11, 2, 8, 30, 0, TimeSpan.Zero);
        var consent = await Acme.RecordConsentAsync("exported-dora", LawfulBasis.ExplicitConsent, "v3", given);
        Assert.Equal(consent, Recorder.AssertMapsEveryMember<ConsentRecord>());
        var enrolled = await Acme.EnrollAsync("exported-dora", Photo("img12.jpg"));

        var metadata = await Acme.ExportSubjectAsync("exported-dora");
        Assert.Null(Recorder.AssertMapsEveryMember<SubjectExport>().SealedTemplates);
        using var recipient = RSA.Create(2048);
        var withTemplates = await Acme.ExportSubjectAsync("exported-dora", recipient.ExportSubjectPublicKeyInfoPem());
        Assert.Equal("no-store", Recorder.Last.CacheControl);
        Assert.Equal(withTemplates.SealedTemplates!.Ciphertext, Recorder.AssertMapsEveryMember<SubjectExport>().SealedTemplates!.Ciphertext);

        Assert.Equal(("acme", "exported-dora", LawfulBasis.ExplicitConsent, "v3", given), (consent.Tenant, consent.Subject, consent.LawfulBasis, consent.NoticeVersion, consent.GivenUtc));
        Assert.InRange(consent.RecordedUtc, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.Equal(("acme", "exported-dora", consent), (metadata.Tenant, metadata.Subject, metadata.Consent));
        Assert.Equal(enrolled.Template, Assert.Single(metadata.Templates).Template);
        Assert.Equal(["consent.record", "enroll"], metadata.Audit.Select(e => e.Action));
        Assert.All(metadata.Audit, e => Assert.Equal(("acme", "exported-dora", "ok"), (e.Tenant, e.Subject, e.Outcome)));
        Assert.Null(metadata.SealedTemplates);

        var sealedTemplates = withTemplates.SealedTemplates!;
        Assert.Equal(("RSA-OAEP-256+A256GCM", "intelliface/subject-export/v1|acme|exported-dora"), (sealedTemplates.Algorithm, sealedTemplates.AssociatedData));
        var key = recipient.Decrypt(sealedTemplates.WrappedKey, RSAEncryptionPadding.OaepSHA256);
        var plaintext = new byte[sealedTemplates.Ciphertext.Length];
        using (var aes = new AesGcm(key, sealedTemplates.Tag.Length))
            aes.Decrypt(sealedTemplates.Nonce, sealedTemplates.Ciphertext, sealedTemplates.Tag, plaintext, Encoding.UTF8.GetBytes(sealedTemplates.AssociatedData));
        var template = Assert.Single(JsonDocument.Parse(plaintext).RootElement.EnumerateArray());
        Assert.Equal(enrolled.Template, template.GetProperty("template").GetString());
        Assert.Equal(fixture.PackId, template.GetProperty("pack").GetString());
        Assert.Equal(128, template.GetProperty("embedding").GetArrayLength());
    }

    [Fact]
    public async Task The_audit_export_has_the_entries_of_the_requests_just_made_and_no_others()
    {
        var tenant = await fixture.NewTenantAsync("audited");
        var start = (await tenant.ExportAuditAsync()).Entries[^1].Seq;

        await tenant.EnrollAsync("anna", Photo("img4.jpg"));
        await tenant.VerifyAsync("anna", Photo("img2.jpg"));
        await tenant.GetSubjectAsync("anna");
        await Assert.ThrowsAsync<IntelliFaceApiException>(() => tenant.GetSubjectAsync("nobody"));
        var trail = await tenant.ExportAuditAsync(after: start);
        Recorder.AssertMapsEveryMember<AuditTrail>();

        Assert.Equal("audited", trail.Tenant);
        Assert.Equal(
            new (string, string?, string)[]
            {
                ("audit.export", null, "ok"), ("enroll", "anna", "ok"), ("verify", "anna", "ok"), ("subject.get", "anna", "ok"), ("subject.get", "nobody", "unknown_subject"),
            },
            trail.Entries.Select(e => (e.Action, e.Subject, e.Outcome)));
        Assert.All(trail.Entries, e =>
        {
            Assert.True(e.Seq > start);
            Assert.Equal("audited", e.Tenant);
            Assert.StartsWith("apikey:", e.Actor, StringComparison.Ordinal);
            Assert.Matches("^[0-9a-f]{64}$", e.Hash);
            Assert.InRange(e.AtUtc, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        });
        Assert.Single(trail.Entries.Select(e => e.Actor).Distinct());
        Assert.Equal(trail.Entries.Select(e => e.Seq).Order(), trail.Entries.Select(e => e.Seq));
        Assert.Empty((await tenant.ExportAuditAsync(after: trail.Entries[^1].Seq + 1)).Entries);
    }

    [Fact]
    public async Task Health_and_readiness_answer_without_a_key_on_both_listeners()
    {
        var anonymous = fixture.Tenant("ifk_not_a_key");

        Assert.Equal(new ServiceStatus("ok"), await anonymous.HealthAsync());
        Assert.Equal(new ServiceStatus("ready", fixture.PackId), await anonymous.ReadyAsync());
        Assert.Equal(new ServiceStatus("ready", fixture.PackId), Recorder.AssertMapsEveryMember<ServiceStatus>());
        Assert.Equal(new ServiceStatus("ok"), await fixture.Ada.HealthAsync());
        Assert.Equal(new ServiceStatus("ready", fixture.PackId), await fixture.Ada.ReadyAsync());
    }
}
