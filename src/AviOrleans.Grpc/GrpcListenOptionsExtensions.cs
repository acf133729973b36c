using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AviOrleans.Grpc;

/// <summary>Kestrel endpoint set-up for gRPC: h2c on plain TCP, or TLS from PEM files.</summary>
public static class GrpcListenOptionsExtensions
{
    /// <summary>
    /// Plain-text HTTP/2 (h2c, prior knowledge). Must be HTTP/2 only: without TLS there is no ALPN,
    /// and an endpoint that also allows HTTP/1.1 would serve gRPC clients HTTP/1.1.
    /// </summary>
    public static ListenOptions UseGrpcH2c(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.Protocols = HttpProtocols.Http2;
        return listenOptions;
    }

    /// <summary>
    /// TLS with the certificate and private key in PEM files. HTTP/2 is chosen by ALPN; HTTP/1.1
    /// is allowed so that such clients get a clear 426 refusal rather than a failed handshake.
    /// </summary>
    public static ListenOptions UseGrpcTls(this ListenOptions listenOptions, string certificatePemFile, string keyPemFile)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentException.ThrowIfNullOrEmpty(certificatePemFile);
        ArgumentException.ThrowIfNullOrEmpty(keyPemFile);
        return listenOptions.UseGrpcTls(X509Certificate2.CreateFromPemFile(certificatePemFile, keyPemFile));
    }

    /// <summary>TLS with <paramref name="certificate"/> (which must hold its private key).</summary>
    public static ListenOptions UseGrpcTls(this ListenOptions listenOptions, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("The TLS certificate has no private key.", nameof(certificate));
        }

        listenOptions.Protocols = HttpProtocols.Http1AndHttp2;
        listenOptions.UseHttps(certificate);
        return listenOptions;
    }
}
