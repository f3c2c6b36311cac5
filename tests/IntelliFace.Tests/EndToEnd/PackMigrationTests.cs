using IntelliFace.Recognition;
using IntelliFace.Tenancy;
using IntelliFace.Tests.SFace;
using IntelliFace.Tests.Vault;
using IntelliFace.Vault;

namespace IntelliFace.Tests.EndToEnd;

/// <summary>
/// Two model packs over one vault: the default pack and yunet-sface (real YuNet, stand-in SFace).
/// Templates are only ever compared with templates of the pack that made them; a tenant may hold
/// both during a move, and the migration report says who still needs a new photo.
/// </summary>
public sealed class PackMigrationTests(FaceApiPackFixture defaultPack, StandInSFacePackFixture sfacePack)
    : IClassFixture<FaceApiPackFixture>, IClassFixture<StandInSFacePackFixture>, IDisposable
{
    private static readonly TenantId Tenant = new("acme");
    private static readonly SubjectId Alice = new("alice");
    private static readonly SubjectId Bob = new("bob");

    private readonly TestDirectory _directory = new();
    private TemplateVault? _vault;

    private TemplateVault Vault => _vault ??= TemplateVault.OpenSqlite(_directory.Path, new FixedMasterKeyProvider(3));

    private FaceRecognitionService OldPack => new(defaultPack.Pipeline, Vault);

    private FaceRecognitionService NewPack => new(new FacePipeline(sfacePack.Pack, new IntelliFace.Imaging.ImageIntake()), Vault);

    private static byte[] Photo(string file) => File.ReadAllBytes(DeepFacePhotos.PathOf(file));

    public void Dispose()
    {
        _vault?.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void Verify_and_identify_with_another_pack_than_the_templates_are_refused_with_model_mismatch()
    {
        OldPack.Enroll(Tenant, Alice, Photo("img1.jpg"));

        var verify = Assert.Throws<FaceException>(() => NewPack.Verify(Tenant, Alice, Photo("img2.jpg")));
        var identify = Assert.Throws<FaceException>(() => NewPack.Identify(Tenant, Photo("img2.jpg"), top: 3));

        Assert.Equal(FaceErrorCode.ModelMismatch, verify.Code);
        Assert.Equal(
            "The subject's templates were made with ssd.dlib150.faceapi@b413e420-p1, not with the active pack yunet.arcface112.sface@0ba9fbfa-p1; "
            + "re-enroll the subject with yunet.arcface112.sface@0ba9fbfa-p1.", verify.Message);
        Assert.Equal(FaceErrorCode.ModelMismatch, identify.Code);
        Assert.Equal(
            "The tenant's templates were made with ssd.dlib150.faceapi@b413e420-p1, not with the active pack yunet.arcface112.sface@0ba9fbfa-p1; "
            + "re-enroll with yunet.arcface112.sface@0ba9fbfa-p1.", identify.Message);
    }

    [Fact]
    public void During_a_move_a_tenant_holds_templates_of_both_packs_and_each_pack_sees_only_its_own()
    {
        OldPack.Enroll(Tenant, Alice, Photo("img1.jpg"));
        OldPack.Enroll(Tenant, Bob, Photo("img3.jpg"));
        NewPack.Enroll(Tenant, Alice, Photo("img1.jpg"));

        Assert.True(OldPack.Verify(Tenant, Alice, Photo("img2.jpg")).Match);
        Assert.True(NewPack.Verify(Tenant, Alice, Photo("img1.jpg")).Match);
        Assert.Equal(FaceErrorCode.ModelMismatch, Assert.Throws<FaceException>(() => NewPack.Verify(Tenant, Bob, Photo("img3.jpg"))).Code);
        Assert.Equal(Bob, OldPack.Identify(Tenant, Photo("img3.jpg"), top: 5).Match);
        // The new pack's gallery holds Alice only: Bob is not searchable with it until he is re-enrolled.
        var identified = NewPack.Identify(Tenant, Photo("img1.jpg"), top: 5);
        Assert.Equal(Alice, identified.Match);
        Assert.Equal(new[] { Alice }, identified.Candidates.Select(c => c.Subject));

        var subjects = Vault.ListSubjects(Tenant);
        Assert.Equal(new[] { "ssd.dlib150.faceapi@b413e420-p1", "yunet.arcface112.sface@0ba9fbfa-p1" }, subjects.Single(s => s.Subject == Alice).Packs.Select(p => p.Value));
        Assert.Equal(2, subjects.Single(s => s.Subject == Alice).TemplateCount);
    }

    [Fact]
    public void The_migration_report_names_the_subjects_that_still_need_a_new_photo_for_the_target_pack()
    {
        OldPack.Enroll(Tenant, Alice, Photo("img1.jpg"));
        OldPack.Enroll(Tenant, Bob, Photo("img3.jpg"));
        NewPack.Enroll(Tenant, Alice, Photo("img1.jpg"));
        var data = new TenantDataService(Vault);

        var toNew = data.MigrationTo(Tenant, sfacePack.Pack.Id);
        var toOld = data.MigrationTo(Tenant, defaultPack.Pack.Id);

        Assert.Equal(new[] { Alice }, toNew.Ready);
        Assert.Equal(new[] { Bob }, toNew.NeedNewPhoto);
        Assert.Equal(new[] { defaultPack.Pack.Id }, toNew.OtherPacks);
        Assert.False(toNew.IsComplete);
        Assert.Equal(new[] { Alice, Bob }, toOld.Ready);
        Assert.Empty(toOld.NeedNewPhoto);
        Assert.True(toOld.IsComplete);
        Assert.Equal("migration.report", Vault.Audit.Entries(Tenant).Last().Record.Action);
    }

    [Fact]
    public void Retiring_the_other_packs_erases_the_old_templates_of_moved_subjects_only()
    {
        OldPack.Enroll(Tenant, Alice, Photo("img1.jpg"));
        OldPack.Enroll(Tenant, Alice, Photo("img2.jpg"));
        OldPack.Enroll(Tenant, Bob, Photo("img3.jpg"));
        NewPack.Enroll(Tenant, Alice, Photo("img1.jpg"));
        var data = new TenantDataService(Vault);

        var retirement = data.RetireOtherPacks(Tenant, sfacePack.Pack.Id);

        Assert.Equal(new[] { Alice }, retirement.Subjects);
        Assert.Equal(2, retirement.TemplatesErased);
        Assert.Equal(new[] { Bob }, retirement.NotYetMoved);
        var alice = data.ListTemplates(Tenant, Alice);
        Assert.Equal(new[] { sfacePack.Pack.Id }, alice.Select(t => t.Pack));
        Assert.Equal(new[] { defaultPack.Pack.Id }, data.ListTemplates(Tenant, Bob).Select(t => t.Pack));
        // Alice is now recognised with the new pack only; Bob, not yet moved, still with the old one.
        Assert.Equal(FaceErrorCode.ModelMismatch, Assert.Throws<FaceException>(() => OldPack.Verify(Tenant, Alice, Photo("img2.jpg"))).Code);
        Assert.True(NewPack.Verify(Tenant, Alice, Photo("img1.jpg")).Match);
        Assert.True(OldPack.Verify(Tenant, Bob, Photo("img3.jpg")).Match);

        var entries = Vault.Audit.Entries(Tenant).Where(e => e.Record.Action == "migration.retire").ToList();
        Assert.Equal(2, entries.Count);
        Assert.Equal(Alice, entries[0].Record.Subject);
        Assert.Equal("2", entries[0].Record.Details["templates"]);
        Assert.Null(entries[1].Record.Subject);
        Assert.Equal("1", entries[1].Record.Details["subjects"]);

        var again = data.RetireOtherPacks(Tenant, sfacePack.Pack.Id);
        Assert.Empty(again.Subjects);
        Assert.Equal(0, again.TemplatesErased);
    }

    [Fact]
    public void Only_a_key_that_manages_subjects_may_retire_templates()
    {
        OldPack.Enroll(Tenant, Alice, Photo("img1.jpg"));
        NewPack.Enroll(Tenant, Alice, Photo("img1.jpg"));
        var recogniseOnly = Caller.ForTenant("0123456789ab", Tenant, Scopes.Enroll | Scopes.Recognise);
        var otherTenant = Caller.ForTenant("0123456789ac", new TenantId("globex"), Scopes.All);

        Assert.Equal(FaceErrorCode.Forbidden,
            Assert.Throws<FaceException>(() => new TenantDataService(Vault, recogniseOnly).RetireOtherPacks(Tenant, sfacePack.Pack.Id)).Code);
        Assert.Equal(FaceErrorCode.Forbidden,
            Assert.Throws<FaceException>(() => new TenantDataService(Vault, otherTenant).RetireOtherPacks(Tenant, sfacePack.Pack.Id)).Code);
        Assert.Equal(2, new TenantDataService(Vault).ListTemplates(Tenant, Alice).Count);
    }
}
