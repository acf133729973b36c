using Microsoft.Extensions.Options;

namespace AviOrleans.Grpc.Internal;

/// <summary>Refuses options the server could not honour, at start-up rather than on a call.</summary>
internal sealed class GrpcServerOptionsValidator : IValidateOptions<GrpcServerOptions>
{
    public ValidateOptionsResult Validate(string? name, GrpcServerOptions options)
    {
        var errors = new List<string>();
        if (options.MaxReceiveMessageSize is <= 0)
        {
            errors.Add("MaxReceiveMessageSize must be positive (or null for no limit).");
        }

        if (options.MaxSendMessageSize is <= 0)
        {
            errors.Add("MaxSendMessageSize must be positive (or null for no limit).");
        }

        if (options.ResponseCompressionAlgorithm is { } algorithm && algorithm is not (GrpcProtocol.GzipEncoding or GrpcProtocol.DeflateEncoding))
        {
            errors.Add($"ResponseCompressionAlgorithm '{algorithm}' is not supported; use gzip, deflate or null.");
        }

        var auth = options.Authentication;
        if (auth.RequireAuthentication && auth.Tokens.Count == 0)
        {
            errors.Add("Authentication.RequireAuthentication is set but no token is configured.");
        }

        foreach (var token in auth.Tokens)
        {
            var label = string.IsNullOrWhiteSpace(token.Name) ? "(unnamed)" : token.Name;
            if (string.IsNullOrWhiteSpace(token.Name))
            {
                errors.Add("Every bearer token needs a Name.");
            }

            if ((token.Token is null) == (token.Sha256 is null))
            {
                errors.Add($"Bearer token {label}: set exactly one of Token and Sha256.");
            }
            else if (token.Token is { Length: 0 })
            {
                errors.Add($"Bearer token {label}: Token is empty.");
            }
            else if (token.Sha256 is { } hash && (hash.Length != 64 || !hash.All(Uri.IsHexDigit)))
            {
                errors.Add($"Bearer token {label}: Sha256 must be 64 hex digits.");
            }

            if (token.Role is not (GrpcRole.Reader or GrpcRole.Admin))
            {
                errors.Add($"Bearer token {label}: Role must be Reader or Admin.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
