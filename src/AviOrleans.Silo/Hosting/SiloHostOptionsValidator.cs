using System.Net;
using Microsoft.Extensions.Options;

namespace AviOrleans.Silo.Hosting;

/// <summary>
/// Checks <see cref="SiloHostOptions"/> against the cluster's options: a name, addresses that parse, ports in
/// range, and TLS between silos whenever the silo listens or advertises beyond loopback (the silo port admits
/// anyone who can reach it; TLS with pinned certificates is what makes membership a secret).
/// </summary>
public sealed class SiloHostOptionsValidator : IValidateOptions<SiloHostOptions>
{
    private readonly IOptions<AviClusterOptions> _cluster;

    /// <summary>Creates the validator for a silo of the cluster described by <paramref name="cluster"/>.</summary>
    public SiloHostOptionsValidator(IOptions<AviClusterOptions> cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        _cluster = cluster;
    }

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, SiloHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        AviClusterOptionsValidator.CheckId("--silo-name", options.SiloName, failures);
        var listen = Address("--silo-address", options.ListenAddress, failures);
        var advertised = options.AdvertisedAddress is null ? null : Address("--advertised-address", options.AdvertisedAddress, failures);
        if (advertised is not null && IsWildcard(advertised))
        {
            failures.Add($"--advertised-address: {advertised} is not an address others can reach.");
        }

        if (listen is not null && IsWildcard(listen) && options.AdvertisedAddress is null)
        {
            failures.Add($"--advertised-address is required when the silo listens on every address ({listen}).");
        }

        Port("--silo-port", options.SiloPort, failures);
        Port("--gateway-port", options.GatewayPort, failures);
        if (options.SiloPort != 0 && options.SiloPort == options.GatewayPort)
        {
            failures.Add($"--silo-port and --gateway-port are both {options.SiloPort}.");
        }

        if (!Enum.IsDefined(options.Membership))
        {
            failures.Add($"--membership: {options.Membership} is not a membership profile.");
        }

        var beyondLoopback = (listen is not null && !IPAddress.IsLoopback(listen)) || (advertised is not null && !IPAddress.IsLoopback(advertised));
        if (beyondLoopback && _cluster.Value.TlsCertificateFile is null)
        {
            failures.Add($"--silo-tls-cert and --silo-tls-key are required when the silo listens or advertises beyond loopback ({advertised ?? listen}): without TLS anyone who reaches the port could join the cluster.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IPAddress? Address(string option, string text, List<string> failures)
    {
        if (IPAddress.TryParse(text, out var address))
        {
            return address;
        }

        failures.Add($"{option}: \"{text}\" is not an IP address.");
        return null;
    }

    private static void Port(string option, int port, List<string> failures)
    {
        if (port is < 0 or > 65535)
        {
            failures.Add($"{option}: {port} is not between 0 and 65535.");
        }
    }

    private static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
}
