using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AviOrleans.Silo.Hosting.Internal;

/// <summary>
/// A member's TLS identity and the certificates it accepts from peers, loaded from the PEM files of
/// <see cref="AviClusterOptions"/>. Peers are pinned: the SHA-256 of the certificate a peer presents must be this
/// member's own or one from the trusted file. Chains, names and issuers are not consulted: the pin set is the whole
/// trust decision, as the cluster key was before (a member is whoever holds a pinned certificate's private key,
/// which the TLS handshake proves without sending it), so self-signed certificates are the normal case.
/// </summary>
internal sealed class ClusterCredentials : IDisposable
{
    private readonly HashSet<string> _pins;

    private ClusterCredentials(X509Certificate2 certificate, HashSet<string> pins)
    {
        Certificate = certificate;
        _pins = pins;
    }

    /// <summary>This member's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The SHA-256 fingerprints (upper-case hex) a peer's certificate may have.</summary>
    public IReadOnlyCollection<string> Pins => _pins;

    /// <summary>Loads the files named in <paramref name="options"/>; null when TLS is not configured.</summary>
    /// <exception cref="ClusterCredentialsException">A file is missing or unusable; the message names the option.</exception>
    public static ClusterCredentials? LoadOrNull(AviClusterOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.TlsCertificateFile is null && options.TlsKeyFile is null && options.TlsTrustedCertificatesFile is null
            ? null
            : Load(options, timeProvider);
    }

    /// <summary>Loads the files named in <paramref name="options"/>.</summary>
    /// <exception cref="ClusterCredentialsException">A file is missing or unusable; the message names the option.</exception>
    public static ClusterCredentials Load(AviClusterOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (options.TlsCertificateFile is not { } certificateFile || options.TlsKeyFile is not { } keyFile)
        {
            throw new ClusterCredentialsException("--silo-tls-cert and --silo-tls-key go together (and --silo-tls-trust needs them).");
        }

        MustExist("--silo-tls-cert", certificateFile);
        MustExist("--silo-tls-key", keyFile);
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new ClusterCredentialsException($"--silo-tls-cert/--silo-tls-key: cannot use {certificateFile} with the key in {keyFile}: {ex.Message}", ex);
        }

        try
        {
            CheckValidity("--silo-tls-cert", certificateFile, certificate, timeProvider.GetUtcNow());
            var pins = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Fingerprint(certificate) };
            if (options.TlsTrustedCertificatesFile is { } trustedFile)
            {
                foreach (var trusted in LoadTrusted(trustedFile))
                {
                    pins.Add(Fingerprint(trusted));
                    trusted.Dispose();
                }
            }

            return new ClusterCredentials(certificate, pins);
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="peer"/> is a pinned certificate.</summary>
    public bool IsPinned(X509Certificate2? peer) => peer is not null && _pins.Contains(Fingerprint(peer));

    public void Dispose() => Certificate.Dispose();

    private static string Fingerprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    private static List<X509Certificate2> LoadTrusted(string path)
    {
        MustExist("--silo-tls-trust", path);
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ClusterCredentialsException($"--silo-tls-trust: cannot read certificates from {path}: {ex.Message}", ex);
        }

        if (collection.Count == 0)
        {
            throw new ClusterCredentialsException($"--silo-tls-trust: {path} holds no PEM certificate.");
        }

        return [.. collection];
    }

    private static void CheckValidity(string option, string path, X509Certificate2 certificate, DateTimeOffset now)
    {
        if (now < certificate.NotBefore)
        {
            throw new ClusterCredentialsException($"{option}: the certificate in {path} is not valid before {certificate.NotBefore.ToUniversalTime():u}.");
        }

        if (now > certificate.NotAfter)
        {
            throw new ClusterCredentialsException($"{option}: the certificate in {path} expired on {certificate.NotAfter.ToUniversalTime():u}.");
        }
    }

    private static void MustExist(string option, string path)
    {
        if (!File.Exists(path))
        {
            throw new ClusterCredentialsException($"{option}: {path} does not exist.");
        }
    }
}
