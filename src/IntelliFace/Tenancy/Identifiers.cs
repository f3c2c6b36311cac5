namespace IntelliFace.Tenancy;

/// <summary>A tenant's id as chosen by the operator: 1-64 chars of letters, digits, '-', '_', '.'.</summary>
public readonly record struct TenantId
{
    public TenantId(string value)
    {
        IdentifierRules.Validate(value, "tenant");
        Value = value;
    }

    public string Value { get; }

    public override string ToString() => Value;
}

/// <summary>A subject's id within a tenant, chosen by the tenant: 1-128 chars of letters, digits, '-', '_', '.', '@'.</summary>
public readonly record struct SubjectId
{
    public SubjectId(string value)
    {
        IdentifierRules.Validate(value, "subject", maxLength: 128);
        Value = value;
    }

    public string Value { get; }

    public override string ToString() => Value;
}

/// <summary>An operator's name, as given when the operator was added: 1-64 chars of letters, digits, '-', '_', '.', '@'.</summary>
public readonly record struct OperatorName
{
    public OperatorName(string value)
    {
        IdentifierRules.Validate(value, "operator");
        Value = value;
    }

    public string Value { get; }

    public override string ToString() => Value;
}

internal static class IdentifierRules
{
    public static void Validate(string? value, string what, int maxLength = 64)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength
            || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@')
            || value is "." or "..")
        {
            throw new FaceException(FaceErrorCode.InvalidArgument,
                $"A {what} id is 1-{maxLength} characters of letters, digits, '-', '_', '.' and '@'.");
        }
    }
}
