using Microsoft.AspNetCore.Authentication;

namespace AviOrleans.Gateway;

/// <summary>
/// The gateway's bearer-token authentication scheme (<see cref="SchemeName"/>): tokens given in code and/or a token
/// file that is read again whenever it changes. With neither, no token is needed and every caller is an admin:
/// only for a gateway bound to loopback (<see cref="GatewayOptions.Validate"/> refuses anything else).
/// </summary>
public sealed class BearerTokenOptions : AuthenticationSchemeOptions
{
    /// <summary>The name of the authentication scheme.</summary>
    public const string SchemeName = "AviBearer";

    /// <summary>Tokens given in code (tests, embedding hosts). Default: none.</summary>
    public IList<BearerToken> Tokens { get; } = [];

    /// <summary>
    /// A token file (see <see cref="Gateway.TokenFile"/>), read again every <see cref="TokenFilePollInterval"/>: a change is
    /// applied without a restart; a file that
    /// no longer parses is refused and the tokens read before stay in force. Default: none.
    /// </summary>
    public string? TokenFile { get; set; }

    /// <summary>How often the token file is read to see whether its content changed. Default: 2 seconds.</summary>
    public TimeSpan TokenFilePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether calls must carry a token: true when any token or a token file is configured.</summary>
    public bool RequiresToken => Tokens.Count > 0 || TokenFile is not null;
}
