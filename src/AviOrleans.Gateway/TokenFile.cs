using System.Globalization;

namespace AviOrleans.Gateway;

/// <summary>
/// Reads the gateway's token file: one token per line, <c>ROLE NAME TOKEN</c>, where ROLE is
/// <c>reader</c> or <c>admin</c> and TOKEN is the secret itself or <c>sha256:</c> and its SHA-256
/// in hex (so the file need not hold the secret). Blank lines and lines starting with '#' are skipped. The gateway
/// reads it again whenever it changes (<see cref="BearerTokenOptions.TokenFile"/>).
/// </summary>
public static class TokenFile
{
    /// <summary>The tokens in <paramref name="path"/>; throws <see cref="FormatException"/> naming the bad line.</summary>
    public static IReadOnlyList<BearerToken> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllLines(path), path);
    }

    /// <summary>The tokens in <paramref name="lines"/>; <paramref name="source"/> names them in errors.</summary>
    public static IReadOnlyList<BearerToken> Parse(IEnumerable<string> lines, string source)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var tokens = new List<BearerToken>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3)
            {
                throw new FormatException($"{source}:{number}: expected 'ROLE NAME TOKEN', got {parts.Length} word(s).");
            }

            var role = parts[0].ToLowerInvariant() switch
            {
                "reader" => GatewayRole.Reader,
                "admin" => GatewayRole.Admin,
                _ => throw new FormatException($"{source}:{number}: role '{parts[0]}' is not reader or admin."),
            };
            var token = new BearerToken { Name = parts[1], Role = role };
            if (parts[2].StartsWith("sha256:", StringComparison.OrdinalIgnoreCase))
            {
                var hex = parts[2]["sha256:".Length..];
                if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
                {
                    throw new FormatException($"{source}:{number}: a sha256 token is 64 hex digits.");
                }

                token.Sha256 = hex.ToLower(CultureInfo.InvariantCulture);
            }
            else
            {
                token.Token = parts[2];
            }

            tokens.Add(token);
        }

        return tokens;
    }
}
