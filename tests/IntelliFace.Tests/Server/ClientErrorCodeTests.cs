using System.Net;
using System.Text;
using IntelliFace.Client;
using IntelliFace.Embedding;
using IntelliFace.Imaging;
using IntelliFace.Models;
using IntelliFace.Recognition;
using static IntelliFace.Tests.Server.ClientFixture;
using SubjectId = IntelliFace.Tenancy.SubjectId;
using TenantId = IntelliFace.Tenancy.TenantId;

namespace IntelliFace.Tests.Server;

/// <summary>
/// Every error code of the contract a client can meet, over loopback through the typed client: each surfaces as
/// <see cref="IntelliFaceApiException"/> with the exact status and code. (<c>grant_expired</c> is met through a revoked
/// grant; <c>rate_limited</c> and the 5xx codes need a limiter or a broken installation, and the client's handling of such
/// answers is in <c>ApiExceptionTests</c>.)
/// </summary>
public sealed class ClientErrorCodeTests(ClientFixture fixture) : IClassFixture<ClientFixture>
{
    private IntelliFaceClient Acme => fixture.Acme;

    [Theory]
    [InlineData("derived/noface_gray_640x480.jpg", HttpStatusCode.UnprocessableEntity, "no_face", "")]
    [InlineData("derived/noface_black_224.png", HttpStatusCode.UnprocessableEntity, "no_face", "")]
    [InlineData("derived/tiny64w__img11.jpg", HttpStatusCode.UnprocessableEntity, "face_too_small", "face_px=31.9 minimum_px=40")]
    [InlineData("derived/truncated_half__img1.jpg", HttpStatusCode.UnprocessableEntity, "corrupt_image", "")]
    [InlineData("derived/not_an_image.jpg", HttpStatusCode.UnsupportedMediaType, "unsupported_format", "")]
    [InlineData("public/pillow__hopper.tif", HttpStatusCode.UnsupportedMediaType, "unsupported_format", "")]
    public async Task A_photo_the_service_cannot_use_is_refused_with_its_code(string file, HttpStatusCode status, string code, string extensions)
    {
        var refusal = await Refusal(() => Acme.EnrollAsync("refused", Hard(file)), status, code);

        Assert.Equal("/v1/subjects/refused/templates", refusal.Instance);
        Assert.Equal(extensions, string.Join(" ", refusal.Extensions.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value.GetRawText()}")));
        await Refusal(() => Acme.GetSubjectAsync("refused"), HttpStatusCode.NotFound, "unknown_subject");
    }

    [Theory]
    [InlineData("couple.jpg", 2)]
    [InlineData("selfie-many-people.jpg", 5)]
    public async Task Enrolling_a_photo_of_several_people_is_multiple_faces_with_the_count(string file, int faces)
    {
        var refusal = await Refusal(() => Acme.EnrollAsync("group", Photo(file)), HttpStatusCode.UnprocessableEntity, "multiple_faces");

        Assert.Equal(faces, Assert.Single(refusal.Extensions, e => e.Key == "faces").Value.GetInt32());
        Assert.Equal($"The photo shows {faces} faces; enrollment needs exactly one.", refusal.Detail);
        Assert.Equal("Multiple faces", refusal.Title);
        await Refusal(() => Acme.GetSubjectAsync("group"), HttpStatusCode.NotFound, "unknown_subject");
    }

    [Fact]
    public async Task A_photo_over_20_MiB_is_image_too_large()
    {
        var photo = PhotoContent.FromBytes(new byte[PhotoContent.MaxBytes + 1], "image/jpeg");

        await Refusal(() => Acme.IdentifyAsync(photo), HttpStatusCode.RequestEntityTooLarge, "image_too_large");
    }

    [Fact]
    public async Task A_subject_the_tenant_does_not_have_is_unknown_subject()
    {
        var refusal = await Refusal(() => Acme.VerifyAsync("nobody", Photo("img1.jpg")), HttpStatusCode.NotFound, "unknown_subject");

        Assert.Equal("The tenant has no subject 'nobody'.", refusal.Detail);
        Assert.Equal("/v1/subjects/nobody/verify", refusal.Instance);
    }

    [Fact]
    public async Task A_missing_unknown_or_revoked_key_is_unauthorized_and_the_message_never_shows_the_key()
    {
        const string Unknown = "ifk_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        var key = await fixture.Ada.CreateApiKeyAsync("acme", [ApiKeyScopes.ManageSubjects]);
        await fixture.Ada.RevokeApiKeyAsync(key.KeyId);

        foreach (var secret in new[] { Unknown, "not-a-key", key.ApiKey })
        {
            var refusal = await Refusal(() => fixture.Tenant(secret).ListSubjectsAsync(), HttpStatusCode.Unauthorized, "unauthorized");
            Assert.DoesNotContain(secret, refusal.ToString(), StringComparison.Ordinal);
        }
        await Refusal(() => new IntelliFaceOperatorClient(fixture.OperatorHttp, Unknown).ListTenantsAsync(), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task A_key_without_the_scope_or_of_the_wrong_kind_is_forbidden()
    {
        await Refusal(() => fixture.AcmeEnrollOnly.ListSubjectsAsync(), HttpStatusCode.Forbidden, "forbidden");
        await Refusal(() => fixture.AcmeEnrollOnly.CompareAsync(Photo("img1.jpg"), Photo("img2.jpg")), HttpStatusCode.Forbidden, "forbidden");
        await Refusal(() => fixture.AcmeEnrollOnly.ExportAuditAsync(), HttpStatusCode.Forbidden, "forbidden");
        await Refusal(() => fixture.Tenant(fixture.Harness.OperatorKey).ListSubjectsAsync(), HttpStatusCode.Forbidden, "forbidden");
        await Refusal(() => new IntelliFaceOperatorClient(fixture.OperatorHttp, fixture.Harness.TenantKey).ListTenantsAsync(), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_suspended_tenants_key_is_tenant_suspended_until_it_is_resumed()
    {
        var tenant = await fixture.NewTenantAsync("hooli");
        await fixture.Ada.SuspendTenantAsync("hooli");

        await Refusal(() => tenant.ListSubjectsAsync(), HttpStatusCode.Forbidden, "tenant_suspended");
        await Refusal(() => tenant.IdentifyAsync(Photo("img1.jpg")), HttpStatusCode.Forbidden, "tenant_suspended");
        await fixture.Ada.ResumeTenantAsync("hooli");
        Assert.Empty((await tenant.ListSubjectsAsync()).Subjects);
    }

    [Fact]
    public async Task Enrolling_without_consent_where_the_policy_requires_it_is_consent_required()
    {
        var tenant = await fixture.NewTenantAsync("umbrella", consentRequired: true);

        await Refusal(() => tenant.EnrollAsync("anna", Photo("img1.jpg")), HttpStatusCode.Conflict, "consent_required");
        await tenant.RecordConsentAsync("anna", LawfulBasis.Employment, "2026-11");
        Assert.Equal("anna", (await tenant.EnrollAsync("anna", Photo("img1.jpg"))).Subject);
    }

    [Fact]
    public async Task Operator_refusals_have_their_codes()
    {
        await Refusal(() => fixture.Ada.CreateTenantAsync("acme"), HttpStatusCode.Conflict, "tenant_exists");
        await Refusal(() => fixture.Ada.SuspendTenantAsync("nosuch"), HttpStatusCode.NotFound, "unknown_tenant");
        await Refusal(() => fixture.Ada.CreateApiKeyAsync("nosuch", [ApiKeyScopes.Enroll]), HttpStatusCode.NotFound, "unknown_tenant");
        await Refusal(() => fixture.Ada.SetTenantPolicyAsync("nosuch", false, null), HttpStatusCode.NotFound, "unknown_tenant");
        await Refusal(() => fixture.Ada.RequestBreakGlassAsync("nosuch", "reason", "INC-1", [BreakGlassOperations.ListSubjects]), HttpStatusCode.NotFound, "unknown_tenant");
        await Refusal(() => fixture.Ada.ApproveBreakGlassAsync("nosuchgrant"), HttpStatusCode.NotFound, "unknown_grant");
        await Refusal(() => fixture.Ada.RevokeBreakGlassAsync("nosuchgrant"), HttpStatusCode.NotFound, "unknown_grant");
        await Refusal(() => fixture.Ada.ListSubjectsUnderGrantAsync("nosuchgrant", "acme"), HttpStatusCode.NotFound, "unknown_grant");
        await Refusal(() => fixture.Ada.RevokeApiKeyAsync("0123456789ab"), HttpStatusCode.NotFound, "unknown_credential");

        var grant = await fixture.Ada.RequestBreakGlassAsync("acme", "reason", "INC-2", [BreakGlassOperations.ListSubjects], minutes: 5);
        await Refusal(() => fixture.Ada.ApproveBreakGlassAsync(grant.Grant), HttpStatusCode.Forbidden, "self_approval");
        await Refusal(() => fixture.Ada.ListSubjectsUnderGrantAsync(grant.Grant, "acme"), HttpStatusCode.Forbidden, "grant_not_approved");
        await fixture.Bob.ApproveBreakGlassAsync(grant.Grant);
        await Refusal(() => fixture.Ada.ExportAuditUnderGrantAsync(grant.Grant, "acme"), HttpStatusCode.Forbidden, "forbidden");
        await fixture.Bob.RevokeBreakGlassAsync(grant.Grant);
        await Refusal(() => fixture.Ada.ListSubjectsUnderGrantAsync(grant.Grant, "acme"), HttpStatusCode.Forbidden, "grant_expired");
        await Refusal(() => fixture.Bob.ApproveBreakGlassAsync(grant.Grant), HttpStatusCode.BadRequest, "invalid_argument");
    }

    [Fact]
    public async Task Malformed_arguments_are_invalid_argument()
    {
        var photo = Photo("img1.jpg");
        await Refusal(() => Acme.IdentifyAsync(photo, top: 0), HttpStatusCode.BadRequest, "invalid_argument");
        await Refusal(() => Acme.IdentifyAsync(photo, top: 101), HttpStatusCode.BadRequest, "invalid_argument");
        var lax = await Refusal(() => Acme.IdentifyAsync(photo, threshold: 0.5), HttpStatusCode.BadRequest, "invalid_argument");
        Assert.Contains("threshold", lax.Detail, StringComparison.OrdinalIgnoreCase);
        await Refusal(() => Acme.GetSubjectAsync("a b"), HttpStatusCode.BadRequest, "invalid_argument");
        await Refusal(() => Acme.ExportAuditAsync(after: -1), HttpStatusCode.BadRequest, "invalid_argument");
        await Refusal(() => Acme.RecordConsentAsync("anna", "because", "v1"), HttpStatusCode.BadRequest, "invalid_argument");
        await Acme.EnrollAsync("exported-anna", photo);
        await Refusal(() => Acme.ExportSubjectAsync("exported-anna", "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----"), HttpStatusCode.BadRequest, "invalid_argument");
        using var weak = System.Security.Cryptography.RSA.Create(1024);
        await Refusal(() => Acme.ExportSubjectAsync("exported-anna", weak.ExportSubjectPublicKeyInfoPem()), HttpStatusCode.BadRequest, "invalid_argument");
        await Refusal(() => fixture.Ada.CreateTenantAsync("Not A Tenant"), HttpStatusCode.BadRequest, "invalid_argument");
        await Refusal(() => fixture.Ada.CreateApiKeyAsync("acme", ["everything"]), HttpStatusCode.BadRequest, "invalid_argument");
        await Refusal(() => fixture.Ada.RequestBreakGlassAsync("acme", "reason", "INC-3", ["subject.erase"]), HttpStatusCode.BadRequest, "invalid_argument");
        await Refusal(() => fixture.Ada.RequestBreakGlassAsync("acme", "reason", "INC-3", [BreakGlassOperations.ListSubjects], minutes: 61), HttpStatusCode.BadRequest, "invalid_argument");
        await Refusal(() => Acme.SendAsync(HttpMethod.Post, "v1/identify", new StringContent("{\"photo\": \"not base64!\"}", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "invalid_argument");
    }

    [Fact]
    public async Task A_request_the_service_has_no_route_or_method_or_media_type_for_is_refused_with_its_code()
    {
        var onTheWrongListener = new IntelliFaceOperatorClient(fixture.TenantHttp, fixture.Harness.OperatorKey);
        Assert.Equal("/ops/v1/tenants", (await Refusal(() => onTheWrongListener.ListTenantsAsync(), HttpStatusCode.NotFound, "not_found")).Instance);
        await Refusal(() => Acme.SendAsync(HttpMethod.Get, "v1/nothing/here"), HttpStatusCode.NotFound, "not_found");
        await Refusal(() => Acme.SendAsync(HttpMethod.Patch, "v1/subjects"), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        await Refusal(() => Acme.SendAsync(HttpMethod.Get, "v1/identify"), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        await Refusal(() => Acme.SendAsync(HttpMethod.Post, "v1/identify", new StringContent("hello", Encoding.UTF8, "text/plain")),
            HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task Verify_or_identify_against_templates_of_another_model_pack_is_model_mismatch()
    {
        var tenant = await fixture.NewTenantAsync("migrating");
        var otherPack = EnrollWithAnotherPack(new TenantId("migrating"), new SubjectId("anna"));

        var verify = await Refusal(() => tenant.VerifyAsync("anna", Photo("img2.jpg")), HttpStatusCode.Conflict, "model_mismatch");
        var identify = await Refusal(() => tenant.IdentifyAsync(Photo("img2.jpg")), HttpStatusCode.Conflict, "model_mismatch");

        Assert.Contains(otherPack, verify.Detail, StringComparison.Ordinal);
        Assert.Contains(fixture.PackId, verify.Detail, StringComparison.Ordinal);
        Assert.Contains(otherPack, identify.Detail, StringComparison.Ordinal);
        Assert.Equal([otherPack], (await tenant.GetSubjectAsync("anna")).Packs);
    }

    /// <summary>
    /// A template of <paramref name="subject"/> made by the hybrid pack when it is installed (a real migration), else
    /// one written to the vault under the hybrid pack's id. Returns that pack's id.
    /// </summary>
    private string EnrollWithAnotherPack(TenantId tenant, SubjectId subject)
    {
        var manifest = PackManifest.Load("yunet-faceapi-dlib");
        var store = ModelStore.FromEnvironment();
        try
        {
            store.VerifyInstalled(manifest);
        }
        catch (FaceException e) when (e.Code == FaceErrorCode.ModelNotInstalled)
        {
            var values = new float[FaceEmbedding.Dimension];
            values[0] = 1;
            var id = new PackId("yunet.dlib150.faceapi@b413e420-p1");
            fixture.Harness.Vault.AddTemplate(tenant, subject, new FaceEmbedding(id, values));
            return id.Value;
        }
        using var pack = ModelPackLoader.Load(manifest, store);
        var service = new FaceRecognitionService(new FacePipeline(pack, new ImageIntake()), fixture.Harness.Vault);
        return service.Enroll(tenant, subject, File.ReadAllBytes(EndToEnd.DeepFacePhotos.PathOf("img1.jpg"))).Pack.Value;
    }
}
