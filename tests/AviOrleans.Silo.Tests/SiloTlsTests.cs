using AviOrleans.Silo.Run;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace AviOrleans.Silo.Tests;

/// <summary>Mutual TLS between silos (Microsoft.Orleans.Connections.Security) with pinned certificates.</summary>
public sealed class SiloTlsTests : IDisposable
{
    private readonly CertificateFiles _files = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tls_SilosSharingTheClusterCertificate_FormOneCluster()
    {
        var cluster = _files.Create("cluster");
        await using var first = InProcessSilo.Start(CertificateFiles.WithTls(InProcessSilo.SiloOptions("se-1", gateway: false), cluster));
        var firstServices = await first.StartedAsync();
        await using var second = InProcessSilo.Start(CertificateFiles.WithTls(InProcessSilo.SiloOptions("se-2", first, gateway: false), cluster));
        var secondAddress = (await second.StartedAsync()).GetRequiredService<ILocalSiloDetails>().SiloAddress;

        var membership = firstServices.GetRequiredService<IClusterMembershipService>();
        await Eventually.TrueAsync(() => membership.CurrentSnapshot.GetSiloStatus(secondAddress) == SiloStatus.Active);
    }

    [Fact]
    public async Task Tls_PeerCertificateListedInTrustFile_Joins()
    {
        var first = _files.Create("se-1");
        var second = _files.Create("se-2");
        var trust = _files.Write("trust.pem", File.ReadAllText(first.Certificate) + "\n" + File.ReadAllText(second.Certificate) + "\n");
        await using var one = InProcessSilo.Start(CertificateFiles.WithTls(InProcessSilo.SiloOptions("se-1", gateway: false), first, trust));
        var oneServices = await one.StartedAsync();
        await using var two = InProcessSilo.Start(CertificateFiles.WithTls(InProcessSilo.SiloOptions("se-2", one, gateway: false), second, trust));
        var twoAddress = (await two.StartedAsync()).GetRequiredService<ILocalSiloDetails>().SiloAddress;

        var membership = oneServices.GetRequiredService<IClusterMembershipService>();
        await Eventually.TrueAsync(() => membership.CurrentSnapshot.GetSiloStatus(twoAddress) == SiloStatus.Active);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Tls_SiloWithAnotherCertificateOrNone_CannotJoin(bool otherCertificate)
    {
        var cluster = _files.Create("cluster");
        var stranger = _files.Create("stranger");
        await using var first = InProcessSilo.Start(CertificateFiles.WithTls(InProcessSilo.SiloOptions("se-1", gateway: false), cluster));
        var firstServices = await first.StartedAsync();
        var options = InProcessSilo.SiloOptions("intruder", first, gateway: false);
        if (otherCertificate)
        {
            options = CertificateFiles.WithTls(options, stranger);
        }

        // Orleans keeps retrying the refused connection; the start gives up after the start timeout.
        options = new SiloRunOptions { Cluster = options.Cluster, Silo = options.Silo, Gateway = null, LogLevel = options.LogLevel, StartTimeout = TimeSpan.FromSeconds(8) };
        using var error = new StringWriter();
        using var output = new StringWriter();
        var code = await SiloRunner.RunAsync(options, output, error, cancellationToken: Ct).WaitAsync(InProcessSilo.Bound, Ct);

        Assert.Equal(1, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"aviorleans-silo: the silo could not join cluster '{options.Cluster.ClusterId}': not Active after 8 s; last problem: ", line, StringComparison.Ordinal);
        if (otherCertificate)
        {
            Assert.True(line.Contains("The remote certificate was rejected", StringComparison.Ordinal), line);
        }

        // The store is shared (the intruder could write its Joining row into the table), but without a pinned
        // certificate no member would talk to it: it never became Active in anyone's view.
        Assert.DoesNotContain("active in cluster", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(first.Output.ToString().Split('\n'), l => l.Contains(" intruder ", StringComparison.Ordinal) && l.EndsWith(" Active", StringComparison.Ordinal));
        var members = firstServices.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values;
        Assert.DoesNotContain(members, m => m.Name == "intruder" && m.Status == SiloStatus.Active);
    }

    [Fact]
    public async Task Tls_BadCertificateFiles_ExitTwoNamingTheFile()
    {
        var good = _files.Create("good");
        var other = _files.Create("other");
        var expired = _files.Create("expired", DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1));
        var notPem = _files.Write("garbage.pem", "not a certificate");
        (string Certificate, string? Key, string? Trust, string Reason)[] cases =
        [
            (good.Certificate, null, null, "--silo-tls-cert and --silo-tls-key go together"),
            ("/nonexistent/cert.pem", good.Key, null, "--silo-tls-cert: /nonexistent/cert.pem does not exist"),
            (good.Certificate, other.Key, null, "cannot use " + good.Certificate + " with the key in " + other.Key),
            (notPem, good.Key, null, "cannot use " + notPem),
            (expired.Certificate, expired.Key, null, "expired on"),
            (good.Certificate, good.Key, notPem, "--silo-tls-trust: " + notPem + " holds no PEM certificate"),
        ];

        foreach (var (certificate, key, trust, reason) in cases)
        {
            var options = InProcessSilo.SiloOptions("se-1", gateway: false);
            options.Cluster.TlsCertificateFile = certificate;
            options.Cluster.TlsKeyFile = key;
            options.Cluster.TlsTrustedCertificatesFile = trust;
            using var error = new StringWriter();

            var code = await SiloRunner.RunAsync(options, TextWriter.Null, error, cancellationToken: Ct).WaitAsync(InProcessSilo.Bound, Ct);

            Assert.Equal(2, code);
            var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(reason, line, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _files.Dispose();
}
