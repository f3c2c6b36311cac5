using System.Text;

namespace IntelliFace.Client;

/// <summary>How a client authenticates and sends photos. <see cref="ToString"/> never shows the key.</summary>
/// <param name="ApiKey">The API key, sent as <c>Authorization: Bearer</c>: a tenant key for <see cref="IntelliFaceClient"/>,
/// an operator key for <see cref="IntelliFaceOperatorClient"/>.</param>
public sealed record IntelliFaceClientOptions(string ApiKey)
{
    /// <summary>How photos are sent unless a call says otherwise; <see cref="PhotoEncoding.Raw"/> by default.</summary>
    public PhotoEncoding PhotoEncoding { get; init; } = PhotoEncoding.Raw;

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"ApiKey = (hidden), PhotoEncoding = {PhotoEncoding}");
        return true;
    }
}
