namespace AviOrleans.Silo.Placement;

/// <summary>A plain-text table with columns sized to their widest cell.</summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] headers) => _headers = headers;

    public void Add(params string?[] cells) => _rows.Add([.. cells.Select(c => string.IsNullOrEmpty(c) ? "-" : c)]);

    public void Write(TextWriter output, string indent)
    {
        var widths = _headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        WriteRow(output, indent, _headers, widths);
        foreach (var row in _rows)
        {
            WriteRow(output, indent, row, widths);
        }
    }

    private static void WriteRow(TextWriter output, string indent, string[] cells, int[] widths)
    {
        var parts = cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]));
        output.WriteLine((indent + string.Join("  ", parts)).TrimEnd());
    }
}
