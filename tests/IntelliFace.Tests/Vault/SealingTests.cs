using IntelliFace.Embedding;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Tests.Vault;

public sealed class SealingTests
{
    private static readonly TenantId Acme = new("acme");
    private static readonly SubjectId Alice = new("alice");
    private static readonly TemplateId Template = new("000102030405060708090a0b0c0d0e0f");

    [Fact]
    public void Associated_data_of_fields_that_concatenate_alike_differs()
    {
        var ab = TemplateSeal.AssociatedDataFor(new TenantId("ab"), new SubjectId("c"), Template, TestEmbeddings.PackA, 1);
        var a = TemplateSeal.AssociatedDataFor(new TenantId("a"), new SubjectId("bc"), Template, TestEmbeddings.PackA, 1);

        Assert.NotEqual(ab, a);
    }

    [Fact]
    public void A_sealed_template_opens_to_the_same_values_and_never_contains_them()
    {
        using var key = SubjectKey.Generate(Acme, Alice, 1);
        var embedding = TestEmbeddings.Make(TestEmbeddings.PackA, seed: 1);

        var sealedTemplate = TemplateSeal.Seal(key, Template, embedding);

        Assert.Equal(SealedEnvelope.Overhead + FaceEmbedding.ByteLength, sealedTemplate.Length);
        Assert.Equal(-1, sealedTemplate.AsSpan().IndexOf(embedding.AsBytes()[..16]));
        Assert.Equal(embedding.Values.ToArray(), TemplateSeal.Open(key, Template, TestEmbeddings.PackA, sealedTemplate).Values.ToArray());
    }

    [Fact]
    public void Two_seals_of_one_embedding_use_different_nonces()
    {
        using var key = SubjectKey.Generate(Acme, Alice, 1);
        var embedding = TestEmbeddings.Make(TestEmbeddings.PackA, seed: 1);

        var first = TemplateSeal.Seal(key, Template, embedding);
        var second = TemplateSeal.Seal(key, Template, embedding);

        Assert.NotEqual(first[5..17], second[5..17]);
    }

    [Fact]
    public void Flipping_any_bit_of_a_sealed_template_makes_it_unreadable()
    {
        using var key = SubjectKey.Generate(Acme, Alice, 1);
        var sealedTemplate = TemplateSeal.Seal(key, Template, TestEmbeddings.Make(TestEmbeddings.PackA, seed: 1));

        for (var i = 0; i < sealedTemplate.Length; i++)
        {
            var altered = sealedTemplate.ToArray();
            altered[i] ^= 0x01;
            var error = Assert.Throws<FaceException>(() => TemplateSeal.Open(key, Template, TestEmbeddings.PackA, altered));
            Assert.Equal(FaceErrorCode.TemplateUnreadable, error.Code);
        }
    }

    [Fact]
    public void A_truncated_or_empty_template_is_unreadable()
    {
        using var key = SubjectKey.Generate(Acme, Alice, 1);
        var sealedTemplate = TemplateSeal.Seal(key, Template, TestEmbeddings.Make(TestEmbeddings.PackA, seed: 1));

        foreach (var blob in new[] { sealedTemplate[..^1], sealedTemplate[..SealedEnvelope.HeaderSize], [] })
        {
            var error = Assert.Throws<FaceException>(() => TemplateSeal.Open(key, Template, TestEmbeddings.PackA, blob));
            Assert.Equal(FaceErrorCode.TemplateUnreadable, error.Code);
        }
    }

    [Fact]
    public void Opening_in_another_context_is_unreadable_with_a_clear_message()
    {
        using var key = SubjectKey.Generate(Acme, Alice, 1);
        using var otherTenantKey = SubjectKey.FromBytes(new TenantId("globex"), Alice, 1, key.Bytes);
        using var otherSubjectKey = SubjectKey.FromBytes(Acme, new SubjectId("bob"), 1, key.Bytes);
        using var laterKey = SubjectKey.FromBytes(Acme, Alice, 2, key.Bytes);
        var sealedTemplate = TemplateSeal.Seal(key, Template, TestEmbeddings.Make(TestEmbeddings.PackA, seed: 1));

        Action[] wrongContexts =
        [
            () => TemplateSeal.Open(otherTenantKey, Template, TestEmbeddings.PackA, sealedTemplate),
            () => TemplateSeal.Open(otherSubjectKey, Template, TestEmbeddings.PackA, sealedTemplate),
            () => TemplateSeal.Open(key, new TemplateId("ffffffffffffffffffffffffffffffff"), TestEmbeddings.PackA, sealedTemplate),
            () => TemplateSeal.Open(key, Template, TestEmbeddings.PackB, sealedTemplate),
            () => TemplateSeal.Open(laterKey, Template, TestEmbeddings.PackA, sealedTemplate),
        ];

        foreach (var open in wrongContexts)
        {
            var error = Assert.Throws<FaceException>(open);
            Assert.Equal(FaceErrorCode.TemplateUnreadable, error.Code);
        }
        var message = Assert.Throws<FaceException>(wrongContexts[1]).Message;
        Assert.Equal($"Template {Template} cannot be opened: it was altered or moved from another record.", message);
    }

    [Fact]
    public void Unwrapping_with_another_master_key_is_key_unavailable()
    {
        using var master = new MasterKey(Hex.Range(0x00, 32));
        using var otherMaster = new MasterKey(Hex.Range(0x01, 32));
        using var key = TenantDataKey.Generate(Acme, 1);
        var wrapped = TenantKeyWrap.Wrap(master, key);

        var error = Assert.Throws<FaceException>(() => TenantKeyWrap.Unwrap(otherMaster, Acme, 1, wrapped));

        Assert.Equal(FaceErrorCode.KeyUnavailable, error.Code);
        Assert.Equal("The data key v1 of tenant acme cannot be unwrapped: the master key is not the one that wrapped it, or the record was altered.", error.Message);
    }

    [Fact]
    public void A_wrapped_key_does_not_unwrap_for_another_tenant_or_version()
    {
        using var master = new MasterKey(Hex.Range(0x00, 32));
        using var key = TenantDataKey.Generate(Acme, 1);
        var wrapped = TenantKeyWrap.Wrap(master, key);

        Assert.Equal(FaceErrorCode.KeyUnavailable, Assert.Throws<FaceException>(() => TenantKeyWrap.Unwrap(master, new TenantId("globex"), 1, wrapped)).Code);
        Assert.Equal(FaceErrorCode.KeyUnavailable, Assert.Throws<FaceException>(() => TenantKeyWrap.Unwrap(master, Acme, 2, wrapped)).Code);
    }

    [Fact]
    public void A_wrapped_subject_key_unwraps_only_for_its_tenant_subject_and_versions()
    {
        using var tenantKey = TenantDataKey.Generate(Acme, 3);
        using var otherTenantKey = TenantDataKey.FromBytes(new TenantId("globex"), 3, tenantKey.Bytes);
        using var laterTenantKey = TenantDataKey.FromBytes(Acme, 4, tenantKey.Bytes);
        using var key = SubjectKey.Generate(Acme, Alice, 1);
        var wrapped = SubjectKeyWrap.Wrap(tenantKey, key);

        using var unwrapped = SubjectKeyWrap.Unwrap(tenantKey, Alice, 1, wrapped);
        Assert.Equal(key.Bytes.ToArray(), unwrapped.Bytes.ToArray());
        Assert.Equal(3, SealedEnvelope.TryReadKeyVersion(wrapped, out var header) ? header : 0);
        Action[] wrongContexts =
        [
            () => SubjectKeyWrap.Unwrap(otherTenantKey, Alice, 1, wrapped),
            () => SubjectKeyWrap.Unwrap(tenantKey, new SubjectId("bob"), 1, wrapped),
            () => SubjectKeyWrap.Unwrap(tenantKey, Alice, 2, wrapped),
            () => SubjectKeyWrap.Unwrap(laterTenantKey, Alice, 1, wrapped),
        ];
        foreach (var unwrap in wrongContexts)
        {
            var error = Assert.Throws<FaceException>(unwrap);
            Assert.Equal(FaceErrorCode.KeyUnavailable, error.Code);
        }
        Assert.Equal("The key of subject bob of tenant acme cannot be unwrapped: it was altered or moved.", Assert.Throws<FaceException>(wrongContexts[1]).Message);
    }

    [Fact]
    public void Keys_do_not_print_their_bytes_and_are_wiped_on_dispose()
    {
        var master = new MasterKey(Hex.Range(0x00, 32));
        var key = TenantDataKey.FromBytes(Acme, 1, Hex.Range(0x00, 32));
        var subjectKey = SubjectKey.FromBytes(Acme, Alice, 1, Hex.Range(0x00, 32));
        var masterBytes = master.Bytes;
        var keyBytes = key.Bytes;
        var subjectKeyBytes = subjectKey.Bytes;

        Assert.Equal("MasterKey(mk-cebf9e754a6bf9f7, redacted)", master.ToString());
        Assert.Equal("TenantDataKey(acme, v1, redacted)", key.ToString());
        Assert.Equal("SubjectKey(acme/alice, v1, redacted)", subjectKey.ToString());
        master.Dispose();
        key.Dispose();
        subjectKey.Dispose();
        Assert.Equal(new byte[32], masterBytes.ToArray());
        Assert.Equal(new byte[32], keyBytes.ToArray());
        Assert.Equal(new byte[32], subjectKeyBytes.ToArray());
        Assert.Throws<ObjectDisposedException>(() => master.Bytes.Length);
        Assert.Throws<ObjectDisposedException>(() => key.Bytes.Length);
        Assert.Throws<ObjectDisposedException>(() => subjectKey.Bytes.Length);
    }
}
