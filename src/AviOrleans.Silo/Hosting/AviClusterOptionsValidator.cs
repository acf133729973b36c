using AviOrleans.Silo.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace AviOrleans.Silo.Hosting;

/// <summary>
/// Checks <see cref="AviClusterOptions"/>: ids the membership table can hold, endpoints that parse, and TLS
/// files that load (certificate and key that match, within their validity). Each failure names the
/// command-line option at fault.
/// </summary>
public sealed class AviClusterOptionsValidator : IValidateOptions<AviClusterOptions>
{
    // The ADO.NET tables hold the cluster id (DeploymentId) and the service id in varchar(150).
    internal const int MaxIdLength = 150;

    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the validator; certificates are checked against <paramref name="timeProvider"/>'s clock.</summary>
    public AviClusterOptionsValidator(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, AviClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        CheckId("--cluster-id", options.ClusterId, failures);
        CheckId("--service-id", options.ServiceId, failures);
        if (!Enum.IsDefined(options.Store))
        {
            failures.Add($"--store: {options.Store} is not a store.");
        }

        if (options.PrimarySilo is { } primary && !Endpoints.TryParse(primary, out _))
        {
            failures.Add($"--primary-silo: \"{primary}\" is not ADDRESS:PORT.");
        }

        foreach (var gateway in options.Gateways.Where(g => !Endpoints.TryParse(g, out _)))
        {
            failures.Add($"--gateway-address: \"{gateway}\" is not ADDRESS:PORT.");
        }

        if (options.TlsCertificateFile is not null || options.TlsKeyFile is not null || options.TlsTrustedCertificatesFile is not null)
        {
            try
            {
                using var credentials = ClusterCredentials.Load(options, _timeProvider);
            }
            catch (ClusterCredentialsException ex)
            {
                failures.Add(ex.Message);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static void CheckId(string option, string? id, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            failures.Add($"{option} must not be empty.");
        }
        else if (id.Length > MaxIdLength)
        {
            failures.Add($"{option}: \"{id[..20]}...\" is {id.Length} characters long; at most {MaxIdLength} fit the membership table.");
        }
        else if (id.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            failures.Add($"{option}: \"{id}\" contains white space or control characters.");
        }
    }
}
