namespace AviOrleans.Bench.DataPlane;

/// <summary>"--key value" pairs.</summary>
internal static class Arguments
{
    public static Dictionary<string, string> Parse(IReadOnlyList<string> args)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected --option, got '{args[i]}'.");
            }

            result[args[i][2..]] = args[i + 1];
        }

        return result;
    }
}
