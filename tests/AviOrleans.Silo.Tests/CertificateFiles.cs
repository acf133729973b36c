using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AviOrleans.Silo.Run;

namespace AviOrleans.Silo.Tests;

/// <summary>Self-signed silo certificates (server and client authentication) written as PEM files in a temporary folder.</summary>
internal sealed class CertificateFiles : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aviorleans-silo-tls-").FullName;

    /// <summary>Writes a certificate and its key as <c>NAME.crt</c> and <c>NAME.key</c>; returns their paths.</summary>
    public (string Certificate, string Key) Create(string name, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5), notAfter ?? DateTimeOffset.UtcNow.AddDays(1));
        var paths = (Path.Combine(_directory, name + ".crt"), Path.Combine(_directory, name + ".key"));
        File.WriteAllText(paths.Item1, certificate.ExportCertificatePem());
        File.WriteAllText(paths.Item2, key.ExportPkcs8PrivateKeyPem());
        return paths;
    }

    /// <summary>A file in the folder with <paramref name="text"/> in it.</summary>
    public string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary><paramref name="options"/> with silo TLS from <paramref name="files"/> (and a trust file).</summary>
    public static SiloRunOptions WithTls(SiloRunOptions options, (string Certificate, string Key) files, string? trust = null)
    {
        options.Cluster.TlsCertificateFile = files.Certificate;
        options.Cluster.TlsKeyFile = files.Key;
        options.Cluster.TlsTrustedCertificatesFile = trust;
        return options;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
