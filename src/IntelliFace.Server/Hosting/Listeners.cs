using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace IntelliFace.Server.Hosting;

/// <summary>The two listeners: applications reach the tenant API; the operator API can be kept off their network.</summary>
internal enum Listener
{
    Tenant,
    Operator,
}

/// <summary>
/// Which listener a connection came in on, told by the connection's local endpoint, and which paths each serves:
/// a path of one listener is a 404 on the other.
/// </summary>
internal sealed class ListenerMap
{
    private ListenOptions? _tenant;
    private ListenOptions? _operator;

    public void Attach(ListenOptions tenant, ListenOptions operatorApi)
    {
        _tenant = tenant;
        _operator = operatorApi;
    }

    /// <summary>Kestrel writes the bound port into the options when it binds port 0.</summary>
    public IPEndPoint TenantEndPoint => _tenant?.IPEndPoint ?? throw new InvalidOperationException("The server has not bound its listeners.");

    public IPEndPoint OperatorEndPoint => _operator?.IPEndPoint ?? throw new InvalidOperationException("The server has not bound its listeners.");

    public Listener? Of(ConnectionInfo connection)
    {
        if (Serves(OperatorEndPoint, connection)) return Listener.Operator;
        if (Serves(TenantEndPoint, connection)) return Listener.Tenant;
        return null;
    }

    /// <summary>Whether <paramref name="path"/> belongs to <paramref name="listener"/>; paths of neither (health, unknown) pass.</summary>
    public static bool Admits(Listener listener, PathString path)
    {
        var operatorPath = path.StartsWithSegments("/ops") || path.StartsWithSegments("/metrics");
        var tenantPath = path.StartsWithSegments("/v1") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/docs");
        return listener == Listener.Operator ? !tenantPath : !operatorPath;
    }

    private static bool Serves(IPEndPoint bound, ConnectionInfo connection)
    {
        if (bound.Port != connection.LocalPort) return false;
        if (bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any)) return true;
        return connection.LocalIpAddress is { } local && Normalized(local).Equals(Normalized(bound.Address));
    }

    private static IPAddress Normalized(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
