using System.Security.Authentication;
using Orleans.Connections.Security;

namespace AviOrleans.Silo.Hosting.Internal;

/// <summary>
/// The Orleans TLS settings (Microsoft.Orleans.Connections.Security) for silo-to-silo and client-to-gateway
/// connections: mutual (both ends must present a certificate), TLS 1.2 or 1.3, and the peer accepted only when its
/// certificate is pinned in <see cref="ClusterCredentials"/>.
/// </summary>
internal static class ClusterTls
{
    public static void Configure(TlsOptions options, ClusterCredentials credentials)
    {
        options.LocalCertificate = credentials.Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;

        // Chain and name errors are expected (self-signed certificates, silos addressed by IP): the pin decides.
        // A refused peer is logged by Orleans' TLS middleware as a failed handshake.
        options.RemoteCertificateValidation = (certificate, _, _) => credentials.IsPinned(certificate);
    }
}
