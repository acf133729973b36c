using Microsoft.Extensions.Options;

namespace AviOrleans.Runtime.Hosting;

/// <summary>Checks <see cref="SiloOptions"/>; a silo refuses to start with invalid options.</summary>
public sealed class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
    /// <summary>The minimum cluster key length in bytes.</summary>
    public const int MinClusterKeyLength = 16;

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SiloName))
        {
            failures.Add("SiloName is required.");
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add("ClusterId is required.");
        }

        if (options.ClusterKey is null || options.ClusterKey.Length < MinClusterKeyLength)
        {
            failures.Add($"ClusterKey must be at least {MinClusterKeyLength} bytes.");
        }

        if (options.Endpoint is null)
        {
            failures.Add("Endpoint is required.");
        }

        Positive(failures, nameof(options.ResponseTimeout), options.ResponseTimeout);
        Positive(failures, nameof(options.HandshakeTimeout), options.HandshakeTimeout);
        if (options.MaxMessageSize < 1024)
        {
            failures.Add("MaxMessageSize must be at least 1024 bytes.");
        }

        if (options.MaxForwardCount is < 1 or > 10)
        {
            failures.Add("MaxForwardCount must be within 1..10.");
        }

        var m = options.Membership;
        if (m is null)
        {
            failures.Add("Membership options are required.");
        }
        else
        {
            Positive(failures, "Membership.ProbePeriod", m.ProbePeriod);
            Positive(failures, "Membership.ProbeTimeout", m.ProbeTimeout);
            Positive(failures, "Membership.DeathVoteExpiration", m.DeathVoteExpiration);
            Positive(failures, "Membership.IAmAlivePeriod", m.IAmAlivePeriod);
            Positive(failures, "Membership.TableRefreshPeriod", m.TableRefreshPeriod);
            Positive(failures, "Membership.MaxJoinAttemptTime", m.MaxJoinAttemptTime);
            Positive(failures, "Membership.DefunctSiloExpiration", m.DefunctSiloExpiration);
            Positive(failures, "Membership.DefunctSiloCleanupPeriod", m.DefunctSiloCleanupPeriod);
            if (m.NumMissedProbesLimit < 1)
            {
                failures.Add("Membership.NumMissedProbesLimit must be at least 1.");
            }

            if (m.NumVotesForDeathDeclaration < 1)
            {
                failures.Add("Membership.NumVotesForDeathDeclaration must be at least 1.");
            }

            if (m.NumProbedSilos < 1)
            {
                failures.Add("Membership.NumProbedSilos must be at least 1.");
            }

            if (m.NumMissedIAmAliveLimit < 1)
            {
                failures.Add("Membership.NumMissedIAmAliveLimit must be at least 1.");
            }

            if (m.DeathVoteExpiration <= m.ProbePeriod * m.NumMissedProbesLimit)
            {
                failures.Add("Membership.DeathVoteExpiration must be longer than ProbePeriod x NumMissedProbesLimit, or votes expire before they can add up.");
            }
        }

        var c = options.Collection;
        if (c is null)
        {
            failures.Add("Collection options are required.");
        }
        else
        {
            Positive(failures, "Collection.CollectionAge", c.CollectionAge);
            Positive(failures, "Collection.CollectionQuantum", c.CollectionQuantum);
            Positive(failures, "Collection.ActivationTimeout", c.ActivationTimeout);
            Positive(failures, "Collection.DeactivationTimeout", c.DeactivationTimeout);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{name} must be positive.");
        }
    }
}
