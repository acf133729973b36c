using System.Net;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AviOrleans.Gateway;

/// <summary>Where and how <see cref="GatewayHost"/> listens.</summary>
public sealed class GatewayOptions
{
    /// <summary>The default port: 50051, the customary gRPC port.</summary>
    public const int DefaultPort = 50051;

    /// <summary>The address to listen on. Default: 127.0.0.1 (loopback only).</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>The port; 0 picks a free one. Default: <see cref="DefaultPort"/>.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>PEM certificate for TLS; with <see cref="TlsKeyFile"/>. Default: none (h2c).</summary>
    public string? TlsCertificateFile { get; set; }

    /// <summary>PEM private key for TLS. Default: none.</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>Bearer tokens and their roles, given in code. Default: none.</summary>
    public IList<BearerToken> Tokens { get; } = [];

    /// <summary>A token file (<see cref="Gateway.TokenFile"/>), read again when it changes. Default: none.</summary>
    public string? TokenFile { get; set; }

    /// <summary>
    /// The overall health (grpc.health.v1) from the first request on. A silo sets NOT_SERVING so that nothing
    /// reports SERVING before it has joined. Default: SERVING.
    /// </summary>
    public ServingStatus InitialHealth { get; set; } = ServingStatus.Serving;

    /// <summary>
    /// Checks the options; throws <see cref="ArgumentException"/> (or <see cref="FormatException"/> for a bad token
    /// file, <see cref="IOException"/> for one that cannot be read) naming what is wrong.
    /// </summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"The port {Port} is not between 0 and 65535.");
        }

        if ((TlsCertificateFile is null) != (TlsKeyFile is null))
        {
            throw new ArgumentException("TLS needs both a PEM certificate file and a PEM key file.");
        }

        foreach (var file in new[] { TlsCertificateFile, TlsKeyFile }.OfType<string>())
        {
            if (!File.Exists(file))
            {
                throw new ArgumentException($"The TLS file '{file}' does not exist.");
            }
        }

        foreach (var token in Tokens)
        {
            _ = token.Digest();
        }

        if (TokenFile is not null && Gateway.TokenFile.Read(TokenFile).Count == 0)
        {
            throw new FormatException($"{TokenFile} holds no token.");
        }

        if (Tokens.Count == 0 && TokenFile is null && !IPAddress.IsLoopback(Address))
        {
            throw new ArgumentException($"Listening on {Address} without bearer tokens would let anyone change the configuration; give a token file or listen on loopback.");
        }
    }
}
