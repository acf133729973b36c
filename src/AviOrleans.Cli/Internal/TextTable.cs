using System.Text;

namespace AviOrleans.Cli.Internal;

/// <summary>A plain-text table with borders, in the look of the Avi CLI's <c>show</c> output.</summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] headers)
    {
        _headers = headers;
    }

    public int RowCount => _rows.Count;

    public void AddRow(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"Expected {_headers.Length} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public override string ToString()
    {
        var widths = new int[_headers.Length];
        foreach (var row in _rows.Prepend(_headers))
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var rule = "+" + string.Join("+", widths.Select(w => new string('-', w + 2))) + "+";
        var sb = new StringBuilder();
        sb.AppendLine(rule);
        AppendRow(sb, _headers, widths);
        sb.AppendLine(rule);
        foreach (var row in _rows)
        {
            AppendRow(sb, row, widths);
        }

        sb.AppendLine(rule);
        return sb.ToString();
    }

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths)
    {
        sb.Append('|');
        for (var i = 0; i < cells.Length; i++)
        {
            sb.Append(' ').Append(cells[i].PadRight(widths[i])).Append(" |");
        }

        sb.AppendLine();
    }
}
