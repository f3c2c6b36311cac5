using System.Text.Json.Nodes;
using IntelliFace.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace IntelliFace.Server.Endpoints;

/// <summary><c>/healthz</c> and <c>/readyz</c>, on both listeners, without authentication.</summary>
internal static class ServiceEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new JsonObject { ["status"] = "ok" })).WithTags("service").WithName("health");
        app.MapGet("/readyz", Ready).WithTags("service").WithName("ready");
    }

    /// <summary>Ready when the model pack is loaded and the vault answers a trivial query.</summary>
    private static Ok<JsonObject> Ready(ApplicationServices services)
    {
        if (!services.Vault.Answers())
            throw new FaceException(FaceErrorCode.StoreUnavailable, "The vault does not answer.");
        return TypedResults.Ok(new JsonObject { ["status"] = "ready", ["pack"] = services.Pack.Id.Value });
    }
}
