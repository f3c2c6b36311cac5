using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Tests.Vault;
using IntelliFace.Vault;

namespace IntelliFace.Tests.EndToEnd;

public sealed class ConsentEnrollmentTests(FaceApiPackFixture fixture) : IClassFixture<FaceApiPackFixture>
{
    [Fact]
    public void A_tenant_that_requires_consent_enrolls_a_subject_only_after_its_consent_is_recorded()
    {
        using var directory = new TestDirectory();
        using var vault = TemplateVault.OpenSqlite(directory.Path, new FixedMasterKeyProvider(8));
        var tenant = new TenantId("clinic");
        var subject = new SubjectId("patient-1");
        new OperatorService(vault).CreateTenant(tenant, consentRequired: true);
        var service = new FaceRecognitionService(fixture.Pipeline, vault);
        var photo = File.ReadAllBytes(DeepFacePhotos.PathOf("img1.jpg"));

        var refused = Assert.Throws<FaceException>(() => service.Enroll(tenant, subject, photo));
        new TenantDataService(vault).RecordConsent(tenant, subject, "explicit_consent", "privacy-notice-2");
        var enrolled = service.Enroll(tenant, subject, photo);

        Assert.Equal((FaceErrorCode.ConsentRequired, "Tenant clinic requires a consent record before enrolling 'patient-1': record it with 'consent record'."),
            (refused.Code, refused.Message));
        Assert.Equal(subject, enrolled.Subject);
        Assert.Equal([(subject, 1)], vault.ListSubjects(tenant).Select(s => (s.Subject, s.TemplateCount)));
        Assert.Equal(["enroll consent_required", "consent.record ok", "enroll ok"],
            vault.Audit.Entries(tenant, subject).Select(e => $"{e.Record.Action} {e.Record.Outcome}"));
    }
}
