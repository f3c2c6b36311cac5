using System.Net;

namespace IntelliFace.Server.Hosting;

/// <summary>
/// A listener's address as given: <c>http://IP:PORT</c> (<c>localhost</c> is 127.0.0.1). Plain HTTP only: TLS is
/// terminated in front of the service. Port 0 lets the system pick a free port.
/// </summary>
internal sealed record ListenAddress(IPEndPoint EndPoint)
{
    /// <exception cref="FaceException"><c>invalid_argument</c> for anything else.</exception>
    public static ListenAddress Parse(string text, string what)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            throw Invalid(text, what, "it is not an http:// URL");
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            throw Invalid(text, what, "it may hold only a scheme, an address and a port");
        if (!uri.Authority.Contains(':', StringComparison.Ordinal) || uri.Authority.EndsWith(']'))
            throw Invalid(text, what, "it names no port");
        var address = uri.IsLoopback && uri.HostNameType == UriHostNameType.Dns
            ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip : throw Invalid(text, what, "the host is not an IP address or localhost");
        return new ListenAddress(new IPEndPoint(address, uri.Port));
    }

    /// <summary>The URL clients use for a bound endpoint.</summary>
    public static Uri UrlOf(IPEndPoint bound)
    {
        var host = bound.Address.Equals(IPAddress.Any) ? "127.0.0.1" : bound.Address.Equals(IPAddress.IPv6Any) ? "[::1]" : bound.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{bound.Address}]" : bound.Address.ToString();
        return new Uri($"http://{host}:{bound.Port}");
    }

    private static FaceException Invalid(string text, string what, string why) =>
        new(FaceErrorCode.InvalidArgument, $"The {what} address '{text}' cannot be used: {why} (expected http://IP:PORT, for example http://127.0.0.1:8080).");
}
