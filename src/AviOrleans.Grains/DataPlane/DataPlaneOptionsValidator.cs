using Microsoft.Extensions.Options;

namespace AviOrleans.Grains.DataPlane;

/// <summary>Checks <see cref="DataPlaneOptions"/> at silo start (<c>ValidateOnStart</c>).</summary>
public sealed class DataPlaneOptionsValidator : IValidateOptions<DataPlaneOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, DataPlaneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.VipInterface is { } vipInterface && (vipInterface.Length is 0 or > 15 || vipInterface.Any(c => c is '/' or ':' || char.IsWhiteSpace(c)) || vipInterface is "." or ".."))
        {
            failures.Add($"VipInterface '{vipInterface}' is not an interface name (1-15 characters, no '/', ':' or blanks).");
        }

        if (options.NetworkNamespace is { } ns && (ns.Length == 0 || ns.Contains('/', StringComparison.Ordinal) || ns is "." or ".."))
        {
            failures.Add($"NetworkNamespace '{ns}' is not a namespace name (a file name under /var/run/netns).");
        }

        if (options.AddressProtocol <= 3)
        {
            failures.Add($"AddressProtocol {options.AddressProtocol} is one of the kernel's own (0-3); choose 4-255.");
        }

        if (options.AddressLifetime < TimeSpan.FromSeconds(3) || options.AddressLifetime > TimeSpan.FromDays(1))
        {
            failures.Add($"AddressLifetime {options.AddressLifetime} must be between 3 seconds and a day (the kernel counts whole seconds; it is renewed every third).");
        }

        if (options.ReconcileInterval < TimeSpan.FromMilliseconds(100) || options.ReconcileInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"ReconcileInterval {options.ReconcileInterval} must be between 100 ms and 1 hour.");
        }

        if (options.FencingWindow < TimeSpan.FromMilliseconds(100) || options.FencingWindow > TimeSpan.FromMinutes(10))
        {
            failures.Add($"FencingWindow {options.FencingWindow} must be between 100 ms and 10 minutes.");
        }

        if (options.FencingMargin < TimeSpan.FromMilliseconds(10) || options.FencingMargin > options.FencingWindow * 10)
        {
            failures.Add($"FencingMargin {options.FencingMargin} must be at least 10 ms (it covers a dead silo's reaction time) and at most 10 x FencingWindow.");
        }

        if (options.LeaseRenewalInterval <= TimeSpan.Zero || options.LeaseRenewalInterval > options.FencingWindow / 2)
        {
            failures.Add($"LeaseRenewalInterval {options.LeaseRenewalInterval} must be positive and at most half the FencingWindow ({options.FencingWindow}): at least two renewals per window.");
        }

        if (options.LeaseCallTimeout <= TimeSpan.Zero || options.LeaseCallTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"LeaseCallTimeout {options.LeaseCallTimeout} must be positive and at most a minute.");
        }

        if (options.PeerEvidenceLimit < options.FencingWindow || options.PeerEvidenceLimit > TimeSpan.FromHours(1))
        {
            failures.Add($"PeerEvidenceLimit {options.PeerEvidenceLimit} must be at least the FencingWindow ({options.FencingWindow}) and at most an hour.");
        }

        if (options.HeartbeatInterval < TimeSpan.FromMilliseconds(10) || options.HeartbeatInterval > options.FencingWindow / 2)
        {
            failures.Add($"HeartbeatInterval {options.HeartbeatInterval} must be at least 10 ms and at most half the FencingWindow ({options.FencingWindow}).");
        }

        if (options.HeartbeatMissCount is < 2 or > 100)
        {
            failures.Add($"HeartbeatMissCount {options.HeartbeatMissCount} must be between 2 and 100.");
        }

        if (options.GuardCommand is { } command && (command.Count == 0 || string.IsNullOrWhiteSpace(command[0])))
        {
            failures.Add("GuardCommand must name an executable when set.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
