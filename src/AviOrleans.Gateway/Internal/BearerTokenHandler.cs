using System.Security.Claims;
using System.Text.Encodings.Web;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AviOrleans.Gateway.Internal;

/// <summary>
/// Authenticates <c>authorization: Bearer TOKEN</c> against the <see cref="BearerTokenStore"/>: the principal carries
/// the token's name and its role (<see cref="GatewayPolicies.ReaderRole"/> or <see cref="GatewayPolicies.AdminRole"/>).
/// A challenge and a refusal answer as gRPC does, Trailers-Only with UNAUTHENTICATED or PERMISSION_DENIED and a
/// message saying what is missing, so that every client sees the status (not only those that map HTTP 401/403).
/// </summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<BearerTokenOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    BearerTokenStore store)
    : AuthenticationHandler<BearerTokenOptions>(options, loggerFactory, encoder)
{
    private const string Bearer = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!store.RequiresToken)
        {
            // No token configured (loopback only): everyone may do everything.
            return Task.FromResult(Success("anonymous", GatewayRole.Admin));
        }

        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail("The authorization header must be 'Bearer <token>'."));
        }

        return Task.FromResult(store.TryFind(header.AsSpan(Bearer.Length).Trim(), out var name, out var role)
            ? Success(name, role)
            : AuthenticateResult.Fail("The bearer token is not valid."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var reason = result.Failure?.Message ?? $"{Request.Path} needs a bearer token (authorization: Bearer <token>).";
        Response.Headers.WWWAuthenticate = "Bearer";
        Refuse(StatusCode.Unauthenticated, reason);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var role = Context.User.FindFirstValue(ClaimTypes.Role) ?? "no";
        Refuse(StatusCode.PermissionDenied, $"{Request.Path} needs the admin role; token '{Context.User.Identity?.Name}' grants {role}.");
        return Task.CompletedTask;
    }

    private AuthenticateResult Success(string name, GatewayRole role)
    {
        var claims = new[]
        {
            new Claim(ClaimTypes.Name, name),
            new Claim(ClaimTypes.Role, role == GatewayRole.Admin ? GatewayPolicies.AdminRole : GatewayPolicies.ReaderRole),
        };
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    // A Trailers-Only gRPC response (grpc/grpc doc/PROTOCOL-HTTP2.md): HTTP 200, the gRPC content type, the status in
    // the headers, no body. Nothing of the request was read or acted on.
    private void Refuse(StatusCode code, string message)
    {
        GatewayLog.Refused(Logger, Request.Path.Value ?? string.Empty, message);
        Response.StatusCode = StatusCodes.Status200OK;
        Response.ContentType = "application/grpc";
        Response.Headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Response.Headers["grpc-message"] = PercentEncode(message);
    }

    // grpc-message: UTF-8, every byte outside 0x20-0x7E and '%' itself as %XX (PROTOCOL-HTTP2.md).
    private static string PercentEncode(string message)
    {
        var builder = new System.Text.StringBuilder(message.Length);
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
