using System.Net;
using AviOrleans.Grpc;

namespace AviOrleans.Gateway;

/// <summary>Where and how the gateway listens.</summary>
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

    /// <summary>
    /// Bearer tokens and their roles. When empty, calls need no token: only allowed when
    /// listening on loopback. Default: empty.
    /// </summary>
    public IList<GrpcBearerToken> Tokens { get; } = [];

    /// <summary>
    /// The overall health (grpc.health.v1) from the first request on. A silo sets
    /// <see cref="HealthServingStatus.NotServing"/> so that nothing reports Serving before it has joined.
    /// Default: <see cref="HealthServingStatus.Serving"/>.
    /// </summary>
    public HealthServingStatus InitialHealth { get; set; } = HealthServingStatus.Serving;

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
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

        if (Tokens.Count == 0 && !IPAddress.IsLoopback(Address))
        {
            throw new ArgumentException($"Listening on {Address} without bearer tokens would let anyone change the configuration; give a token file or listen on loopback.");
        }
    }
}
