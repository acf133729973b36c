namespace AviOrleans.Cli.Internal;

/// <summary>avictl's exit codes, so that scripts can tell failures apart.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>Any other failure (an internal error of the gateway, an unexpected reply).</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong; nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>The gateway refused the request as invalid (INVALID_ARGUMENT); the bad fields are listed.</summary>
    public const int Invalid = 3;

    /// <summary>An object named in the command does not exist (NOT_FOUND).</summary>
    public const int NotFound = 4;

    /// <summary>Refused in the current state: already exists, not allowed in this HA mode, concurrent change, upgrade suspended.</summary>
    public const int Refused = 5;

    /// <summary>No token, a wrong token, or a token without the role the command needs.</summary>
    public const int Auth = 6;

    /// <summary>The gateway cannot be reached (down, wrong address, TLS trust) or did not answer in time.</summary>
    public const int Unavailable = 7;
}
