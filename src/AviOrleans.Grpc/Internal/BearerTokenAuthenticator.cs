using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace AviOrleans.Grpc.Internal;

/// <summary>
/// Checks <c>authorization: Bearer TOKEN</c> against the operator's tokens. Only SHA-256 digests
/// are kept in memory and compared in constant time, every entry every time.
/// </summary>
internal sealed class BearerTokenAuthenticator
{
    private const string Scheme = "Bearer ";
    private readonly bool _required;
    private readonly HashSet<string> _anonymousServices;
    private readonly (byte[] Digest, GrpcCaller Caller)[] _tokens;

    public BearerTokenAuthenticator(GrpcAuthenticationOptions options)
    {
        _required = options.RequireAuthentication;
        _anonymousServices = new HashSet<string>(options.AnonymousServices, StringComparer.Ordinal);
        _tokens = options.Tokens
            .Select(t => (Convert.FromHexString(t.Sha256 ?? GrpcBearerToken.HashToken(t.Token!)), new GrpcCaller(t.Name, t.Role)))
            .ToArray();
    }

    /// <summary>The caller, or <see cref="RpcException"/> UNAUTHENTICATED / PERMISSION_DENIED.</summary>
    public GrpcCaller Authenticate(HttpContext http, GrpcMethodDefinition method)
    {
        if (!_required)
        {
            return GrpcCaller.Unauthenticated;
        }

        var caller = GrpcCaller.Anonymous;
        var header = http.Request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            {
                throw new RpcException(StatusCode.Unauthenticated, "The authorization header must be 'Bearer <token>'.");
            }

            caller = Find(header.AsSpan(Scheme.Length).Trim())
                ?? throw new RpcException(StatusCode.Unauthenticated, "The bearer token is not valid.");
        }

        if (_anonymousServices.Contains(method.ServiceName))
        {
            return caller;
        }

        if (caller.Role == GrpcRole.Anonymous)
        {
            throw new RpcException(StatusCode.Unauthenticated, $"{method.Path} needs a bearer token (authorization: Bearer <token>).");
        }

        if (caller.Role < method.RequiredRole)
        {
            throw new RpcException(StatusCode.PermissionDenied, $"{method.Path} needs the {method.RequiredRole.ToString().ToLowerInvariant()} role; token '{caller.Name}' grants {caller.Role.ToString().ToLowerInvariant()}.");
        }

        return caller;
    }

    private GrpcCaller? Find(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty)
        {
            return null;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var utf8 = Encoding.UTF8.GetBytes(token.ToArray());
        SHA256.HashData(utf8, digest);
        GrpcCaller? found = null;
        foreach (var (expected, caller) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(expected, digest) && found is null)
            {
                found = caller;
            }
        }

        return found;
    }
}
