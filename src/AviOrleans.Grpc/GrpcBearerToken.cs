using System.Security.Cryptography;
using System.Text;

namespace AviOrleans.Grpc;

/// <summary>
/// One bearer token the operator configured: either the token itself or its SHA-256 (so that the
/// configuration file need not hold the secret), and the role it grants.
/// </summary>
public sealed class GrpcBearerToken
{
    /// <summary>A name for the token, shown to handlers as <see cref="GrpcCaller.Name"/> (e.g. "ops").</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The role the token grants. Default: <see cref="GrpcRole.Reader"/>.</summary>
    public GrpcRole Role { get; set; } = GrpcRole.Reader;

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
}
