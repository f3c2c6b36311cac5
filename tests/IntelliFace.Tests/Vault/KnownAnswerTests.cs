using IntelliFace.Embedding;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Tests.Vault;

/// <summary>
/// Pins the on-disk formats: stored templates and wrapped keys must stay readable by every later release.
/// If one of these fails, do not update the expected bytes: add a new format version and keep reading this one.
/// The expected values were cross-checked with an independent AES-GCM implementation (Python cryptography).
/// </summary>
public sealed class KnownAnswerTests
{
    private static readonly TenantId Tenant = new("acme");
    private static readonly SubjectId Subject = new("alice");
    private static readonly TemplateId Template = new("000102030405060708090a0b0c0d0e0f");
    private static readonly PackId Pack = new("test-pack@1");

    [Fact]
    public void Template_associated_data_is_length_prefixed_fields_then_key_version()
    {
        var associatedData = TemplateSeal.AssociatedDataFor(Tenant, Subject, Template, Pack, keyVersion: 1);

        Assert.Equal(Hex.Bytes(KnownAnswers.TemplateAssociatedData), associatedData);
    }

    [Fact]
    public void Template_envelope_has_the_frozen_v1_bytes()
    {
        using var key = SubjectKey.FromBytes(Tenant, Subject, 1, Hex.Range(0x00, 32));
        var embedding = new FaceEmbedding(Pack, Enumerable.Range(0, FaceEmbedding.Dimension).Select(i => (i - 64) / 64f).ToArray());

        var envelope = SealedEnvelope.Seal(key.Bytes, key.Version, Hex.Range(0xa0, 12), embedding.AsBytes(),
            TemplateSeal.AssociatedDataFor(Tenant, Subject, Template, Pack, key.Version));

        Assert.Equal(1 + 4 + 12 + FaceEmbedding.ByteLength + 16, envelope.Length);
        Assert.Equal(Hex.Bytes(KnownAnswers.TemplateEnvelope), envelope);
        var opened = TemplateSeal.Open(key, Template, Pack, envelope);
        Assert.Equal(embedding.Values.ToArray(), opened.Values.ToArray());
    }

    [Fact]
    public void Wrapped_tenant_key_has_the_frozen_v1_bytes()
    {
        using var master = new MasterKey(Hex.Range(0x40, 32));
        using var key = TenantDataKey.FromBytes(Tenant, 1, Hex.Range(0x60, 32));

        var wrapped = SealedEnvelope.Seal(master.Bytes, key.Version, Hex.Range(0xb0, 12), key.Bytes,
            TenantKeyWrap.AssociatedDataFor(Tenant, key.Version));

        Assert.Equal(Hex.Bytes(KnownAnswers.TenantKeyAssociatedData), TenantKeyWrap.AssociatedDataFor(Tenant, 1));
        Assert.Equal(Hex.Bytes(KnownAnswers.WrappedTenantKey), wrapped);
        using var unwrapped = TenantKeyWrap.Unwrap(master, Tenant, 1, wrapped);
        Assert.Equal(Hex.Range(0x60, 32), unwrapped.Bytes.ToArray());
    }

    [Fact]
    public void Wrapped_subject_key_has_the_frozen_v1_bytes()
    {
        using var tenantKey = TenantDataKey.FromBytes(Tenant, 2, Hex.Range(0x60, 32));
        using var key = SubjectKey.FromBytes(Tenant, Subject, 1, Hex.Range(0x80, 32));

        var wrapped = SealedEnvelope.Seal(tenantKey.Bytes, tenantKey.Version, Hex.Range(0xc0, 12), key.Bytes,
            SubjectKeyWrap.AssociatedDataFor(Tenant, Subject, key.Version, tenantKey.Version));

        Assert.Equal(Hex.Bytes(KnownAnswers.SubjectKeyAssociatedData), SubjectKeyWrap.AssociatedDataFor(Tenant, Subject, 1, 2));
        Assert.Equal(Hex.Bytes(KnownAnswers.WrappedSubjectKey), wrapped);
        using var unwrapped = SubjectKeyWrap.Unwrap(tenantKey, Subject, 1, wrapped);
        Assert.Equal(Hex.Range(0x80, 32), unwrapped.Bytes.ToArray());
    }

    [Fact]
    public void Master_key_id_is_the_frozen_fingerprint()
    {
        using var master = new MasterKey(Hex.Range(0x00, 32));

        Assert.Equal(KnownAnswers.MasterKeyId, master.Id);
    }
}

internal static class KnownAnswers
{
    /// <summary>tag, tenant, subject, template id, pack: each a 2-byte big-endian length and UTF-8; then key version as 4 bytes big-endian.</summary>
    public const string TemplateAssociatedData = """
        0017696e74656c6c69666163652f74656d706c6174652f7631000461636d6500
        05616c6963650020303030313032303330343035303630373038303930613062
        3063306430653066000b746573742d7061636b403100000001
        """;

    /// <summary>01 | key version 00000001 | nonce a0..ab | 512 bytes ciphertext | 16 bytes tag.</summary>
    public const string TemplateEnvelope = """
        0100000001a0a1a2a3a4a5a6a7a8a9aaabe618fc9245cb7e006265ff6c077ab4
        6170ac29af92b72ed39c0e4e397fab11bed2762740af220f825f9c5c77097ad7
        46471b16f762d056c1415e43e1a470c10fb4bcc5d030a5d85ff4e2c7a78fcef8
        05cd0b9b1bc5c1b5c5ee751625b19a692b8f840b1403ae93249edb1eef8588f9
        9724507111de3597832fcfd61bb455f6f2c511b0c0d34278a937590e35124a79
        6888d94dd5bed02232fdcd6d4bafc7fc95c618df0fb66af8a8820a9b9c6fd21e
        5f77265d26026636808282e6875c8297e93436cc7760d1cb53f35d2071492462
        0b52e9a4563f63e806edc1785b5dc6cad96851329fb96d3982c0bc82e2420be0
        c20bbd42828952303a6badadd76533a82e173fc987efcc22dc66a357b8673b2c
        ee38118a6dbbba6317f867d6e7e2b064109b48469c20026df3e56d6e12f3afb6
        60d8179e6b0b66939d72a00d93958dc53dd5de93eefe75bd2993d8fb3797044c
        997bc3262f964e9fce581f24f4683a7c734113626ed631e066fac1d3a273a3cb
        f0cdecee6f853deafea404bd2edde72bd72acba105f542923c7858ac572bada4
        f41fe70ca7d13b91442aeebef76c616e1c874160774eb7d6b523790bc1cf5fa4
        550dbbfebe77bde34fe347bd84fc72189a54aef6d3fcdad1dbdc969673e9304e
        e4c9dfb97c3314d4482c9dbc1ec75de4ce56f8e96b9b0576bf8d3c1779b87215
        0405dcc6877199a934e2476cdff8df6d33346ce41e4c08945adc44e8c159a81f
        3b
        """;

    /// <summary>tag, tenant, then key version.</summary>
    public const string TenantKeyAssociatedData = """
        0019696e74656c6c69666163652f74656e616e742d6b65792f7631000461636d
        6500000001
        """;

    /// <summary>01 | key version 00000001 | nonce b0..bb | 32 bytes ciphertext | 16 bytes tag.</summary>
    public const string WrappedTenantKey = """
        0100000001b0b1b2b3b4b5b6b7b8b9babb6361e2e6a52f8dfe53874d93819b22
        a4ce79f65b3060a0e88bbf1a40f5cd8cefca81a3d07684d619b2ddc62d1ef197
        21
        """;

    /// <summary>tag, tenant, subject, then the subject key version and the wrapping tenant key version, 4 bytes big-endian each.</summary>
    public const string SubjectKeyAssociatedData = """
        001a696e74656c6c69666163652f7375626a6563742d6b65792f763100046163
        6d650005616c6963650000000100000002
        """;

    /// <summary>01 | tenant key version 00000002 | nonce c0..cb | 32 bytes ciphertext | 16 bytes tag.</summary>
    public const string WrappedSubjectKey = """
        0100000002c0c1c2c3c4c5c6c7c8c9cacb61a1125491965d64e76592890354969a
        16ac90c04c245f61b1ebd1f27d2543290a5f865d6b6d0f9fe5d2c6b1c7e7d302
        """;

    public const string MasterKeyId = "mk-cebf9e754a6bf9f7";
}
