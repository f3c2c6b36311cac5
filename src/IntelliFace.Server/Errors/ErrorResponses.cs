using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IntelliFace.Server.Errors;

/// <summary>
/// Turns every failure into problem+json: a <see cref="FaceException"/> by its code, the framework's rejections
/// (Kestrel's limits, JSON binding, routing's 404 and 405) by their status, anything unexpected into a 500 with
/// nothing of the exception in the body (it is logged here, without request data).
/// </summary>
internal sealed partial class ErrorResponses(RequestDelegate next, ILogger<ErrorResponses> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, e);
            return;
        }

        var response = context.Response;
        if (!response.HasStarted && response.StatusCode >= 400 && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
            await ProblemResponse.WriteAsync(context, ProblemCodes.CodeOf(response.StatusCode), null, status: response.StatusCode);
    }

    private async Task WriteAsync(HttpContext context, Exception e)
    {
        switch (e)
        {
            case FaceException { Code: FaceErrorCode.ImageTooLarge } face:
                await DrainAsync(context.Request);
                await ProblemResponse.WriteAsync(context, face);
                break;
            case FaceException face:
                await ProblemResponse.WriteAsync(context, face);
                break;
            case BadHttpRequestException bad:
                var code = ProblemCodes.CodeOf(bad.StatusCode);
                var detail = code switch
                {
                    FaceErrorCode.ImageTooLarge => "The request body is larger than this endpoint accepts.",
                    FaceErrorCode.UnsupportedMediaType => "The request's Content-Type is not one this endpoint takes.",
                    _ => bad.InnerException is JsonException json ? JsonDetail(json) : bad.Message,
                };
                if (code == FaceErrorCode.ImageTooLarge) await DrainAsync(context.Request);
                await ProblemResponse.WriteAsync(context, code, detail, status: StatusOfFramework(bad.StatusCode));
                break;
            case JsonException json:
                await ProblemResponse.WriteAsync(context, FaceErrorCode.InvalidArgument, JsonDetail(json));
                break;
            case DbException:
                StoreFailed(logger, e.GetType().Name);
                await ProblemResponse.WriteAsync(context, FaceErrorCode.StoreUnavailable, "The vault database cannot be used now.");
                break;
            default:
                Unexpected(logger, e);
                await ProblemResponse.WriteAsync(context, FaceErrorCode.Internal, null);
                break;
        }
    }

    /// <summary>
    /// Reads and discards what is left of a body refused as too large, up to the server's limit (which allows
    /// <see cref="Photos.BodyLimits.DrainAllowance"/> past each endpoint's own): a client still sending then gets the
    /// 413 instead of a reset connection. Past that limit Kestrel stops reading and the connection closes.
    /// </summary>
    private static async Task DrainAsync(HttpRequest request)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted) > 0)
            {
            }
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException or OperationCanceledException or InvalidOperationException)
        {
            // The body is past the server's limit, or the client is gone: the connection closes after the answer.
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>Where the JSON body went wrong, without the serializer's own words, which name the service's types.</summary>
    private static string JsonDetail(JsonException json) => json.Path is { Length: > 1 } path
        ? $"The JSON body cannot be read at {path}: a member is missing, unknown, repeated or of the wrong type."
        : $"The JSON body is not a well-formed object of the members this endpoint takes (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).";

    /// <summary>A 4xx the framework chose (408, 431...) keeps its status; anything else becomes 400.</summary>
    private static int? StatusOfFramework(int status) => status is >= 400 and < 500 ? status : null;

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Unexpected failure while serving a request")]
    private static partial void Unexpected(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "The vault database failed ({ExceptionType})")]
    private static partial void StoreFailed(ILogger logger, string exceptionType);
}
