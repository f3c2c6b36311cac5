namespace IntelliFace.Server.Photos;

/// <summary>Endpoint metadata: the endpoint reads these photos from its body (one: <c>photo</c>; compare: <c>a</c>, <c>b</c>).</summary>
internal sealed record PhotoUpload(IReadOnlyList<string> Parts)
{
    public static readonly PhotoUpload One = new([PhotoRequest.PhotoName]);
}
