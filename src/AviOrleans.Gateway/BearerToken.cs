using System.Security.Cryptography;
using System.Text;

namespace AviOrleans.Gateway;

/// <summary>
/// One bearer token the operator configured: the token itself or its SHA-256 (so that the token file need not
/// hold the secret), and the role it grants.
/// </summary>
public sealed class BearerToken
{
    /// <summary>A name for the token (e.g. "ops"): the caller's name, shown in errors and logs.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The role the token grants. Default: <see cref="GatewayRole.Reader"/>.</summary>
    public GatewayRole Role { get; set; } = GatewayRole.Reader;

    /// <summary>The token in clear; set this or <see cref="Sha256"/>.</summary>
    public string? Token { get; set; }

    /// <summary>The token's SHA-256 as 64 hex digits (see <see cref="HashToken"/>); set this or <see cref="Token"/>.</summary>
    public string? Sha256 { get; set; }

    /// <summary>The SHA-256 of <paramref name="token"/>'s UTF-8 bytes as lowercase hex: what <see cref="Sha256"/> holds.</summary>
    public static string HashToken(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    /// <summary>The digest compared against a presented token's SHA-256; throws when the token is not set up right.</summary>
    internal byte[] Digest()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("A bearer token needs a name.");
        }

        if ((Token is null) == (Sha256 is null))
        {
            throw new ArgumentException($"Bearer token '{Name}' needs either the token or its sha256, not both.");
        }

        if (Sha256 is { } hex && (hex.Length != 2 * SHA256.HashSizeInBytes || !hex.All(Uri.IsHexDigit)))
        {
            throw new ArgumentException($"Bearer token '{Name}': a sha256 is {2 * SHA256.HashSizeInBytes} hex digits.");
        }

        return Convert.FromHexString(Sha256 ?? HashToken(Token!));
    }
}
