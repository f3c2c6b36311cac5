using System.Globalization;

namespace IntelliFace.Bench.Report;

/// <summary>Number formats and table rows shared by the report sections (invariant culture throughout).</summary>
internal static class Markdown
{
    public static string Ms(double milliseconds) => Number(milliseconds, milliseconds < 10 ? "F2" : "F1");

    public static string Percent(double share) => Number(share * 100, "F2") + " %";

    public static string Threshold(double cosine) => Number(cosine, "F4");

    public static string Ratio(double ratio) => Number(ratio, "F2") + "x";

    public static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Row(params object[] cells) => "| " + string.Join(" | ", cells.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture))) + " |";

    /// <summary>A header row and its separator; a column whose name starts with a space is right-aligned.</summary>
    public static string Header(params string[] columns) =>
        Row(columns.Select(c => (object)c.Trim()).ToArray()) + "\n" + Row(columns.Select(c => (object)(c.StartsWith(' ') ? "--:" : "---")).ToArray());
}
