using AviOrleans.Persistence;
using AviOrleans.Silo.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace AviOrleans.Silo.Hosting;

/// <summary>
/// Checks <see cref="AviClusterOptions"/>: ids the membership table can hold, the store's options, and TLS
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
        if (options.Store is null)
        {
            failures.Add("a store is required (--data-dir or --postgres).");
        }
        else
        {
            try
            {
                options.Store.Validate();
            }
            catch (ArgumentException ex)
            {
                failures.Add($"store ({(options.Store.Kind == StoreKind.PostgreSql ? "--postgres, --schema" : "--data-dir")}): {ex.Message}");
            }
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
