using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace IntelliFace.Server.Endpoints;

/// <summary>Query parameters, read by hand so a malformed one is a clear 400 <c>invalid_argument</c>.</summary>
internal static class QueryValues
{
    public static int Int(HttpRequest request, string name, int defaultValue, int min, int max)
    {
        if (Single(request, name) is not { } text) return defaultValue;
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Invalid($"'{name}' is a whole number from {min} to {max}.");
    }

    public static long Long(HttpRequest request, string name, long defaultValue, long min)
    {
        if (Single(request, name) is not { } text) return defaultValue;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw Invalid($"'{name}' is a whole number of at least {min}.");
    }

    public static double? Double(HttpRequest request, string name)
    {
        if (Single(request, name) is not { } text) return null;
        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw Invalid($"'{name}' is a decimal number such as 0.93.");
    }

    public static string? Single(HttpRequest request, string name)
    {
        var values = request.Query[name];
        if (values.Count > 1) throw Invalid($"'{name}' is given more than once.");
        return values.Count == 0 ? null : values[0];
    }

    private static FaceException Invalid(string message) => new(FaceErrorCode.InvalidArgument, message);
}
