using System.Security.Cryptography;

namespace IntelliFace.Vault;

/// <summary>Identifies one stored template: 128 random bits as 32 lowercase hex digits.</summary>
public readonly record struct TemplateId
{
    private const int ByteLength = 16;

    public TemplateId(string value)
    {
        if (value is not { Length: ByteLength * 2 } || !value.All(char.IsAsciiHexDigitLower))
            throw new FaceException(FaceErrorCode.InvalidArgument, "A template id is 32 lowercase hex digits.");
        Value = value;
    }

    public string Value { get; }

    public static TemplateId New() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(ByteLength)));

    public override string ToString() => Value;
}
