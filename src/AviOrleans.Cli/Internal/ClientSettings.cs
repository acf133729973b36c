namespace AviOrleans.Cli.Internal;

/// <summary>How avictl reaches the gateway, from options and environment variables.</summary>
/// <param name="Gateway">The gateway's address (<c>http://</c> for h2c, <c>https://</c> for TLS).</param>
/// <param name="Token">The bearer token; null for none.</param>
/// <param name="CaFile">A PEM certificate to trust for TLS (e.g. the gateway's self-signed one); null for the system's trust store.</param>
/// <param name="Json">Print JSON instead of tables.</param>
/// <param name="Timeout">The deadline of each call (not of watch and upgrade streams).</param>
internal sealed record ClientSettings(Uri Gateway, string? Token, string? CaFile, bool Json, TimeSpan Timeout)
{
    /// <summary>Where avictl looks when neither --gateway nor AVICTL_GATEWAY is given.</summary>
    public const string DefaultGateway = "127.0.0.1:50051";

    /// <summary>
    /// Reads <paramref name="gateway"/> as a URL or <c>host:port</c>; without a scheme, https is
    /// used when <paramref name="tls"/> is set or a CA file is given, h2c otherwise.
    /// </summary>
    public static Uri ParseGateway(string gateway, bool tls)
    {
        var text = gateway.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            // host or host:port (an IPv6 host in brackets); the gateway's default port when none.
            var hasPort = text.LastIndexOf(':') > text.LastIndexOf(']');
            text = (tls ? "https://" : "http://") + text + (hasPort ? string.Empty : ":50051");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            throw new UsageException($"--gateway: \"{gateway}\" is not host:port or an http(s):// URL.");
        }

        if (tls && uri.Scheme == Uri.UriSchemeHttp)
        {
            throw new UsageException("--tls and --ca need an https:// gateway (or host:port).");
        }

        return uri;
    }
}
