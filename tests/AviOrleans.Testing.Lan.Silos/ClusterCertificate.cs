using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AviOrleans.Testing.Lan.Silos;

/// <summary>
/// The cluster's certificate for TLS between silos (a silo listening beyond loopback requires it): one self-signed
/// ECDSA P-256 certificate shared by every silo of a <see cref="SiloCluster"/>, as the silo README describes (the
/// peers pin its SHA-256; names are not consulted). Written as PEM files in the LAN's work folder.
/// </summary>
public sealed record ClusterCertificate(string CertificateFile, string KeyFile)
{
    /// <summary>Creates the certificate and its key as <c>cluster.crt</c> and <c>cluster.key</c> in <paramref name="folder"/>.</summary>
    public static ClusterCertificate Create(string folder)
    {
        Directory.CreateDirectory(folder);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=aviorleans-lan-cluster", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var result = new ClusterCertificate(Path.Combine(folder, "cluster.crt"), Path.Combine(folder, "cluster.key"));
        File.WriteAllText(result.CertificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(result.KeyFile, key.ExportPkcs8PrivateKeyPem());
        return result;
    }
}
