using AviOrleans.Grains.DataPlane;
using Microsoft.Extensions.Options;

namespace AviOrleans.Grains.Internal;

/// <summary>Checks <see cref="AviGrainsOptions"/> and <see cref="TakeoverGateOptions"/> when the silo starts.</summary>
internal sealed class AviGrainsOptionsValidator : IValidateOptions<AviGrainsOptions>, IValidateOptions<TakeoverGateOptions>
{
    public ValidateOptionsResult Validate(string? name, AviGrainsOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.ServiceEngineLiveness))
        {
            failures.Add($"ServiceEngineLiveness {options.ServiceEngineLiveness} is not a known mode.");
        }

        if (options.MembershipReconcilePeriod <= TimeSpan.Zero)
        {
            failures.Add($"MembershipReconcilePeriod must be positive (got {options.MembershipReconcilePeriod}).");
        }

        if (options.HandOffTimeout <= TimeSpan.Zero)
        {
            failures.Add($"HandOffTimeout must be positive (got {options.HandOffTimeout}).");
        }

        if (options.UpgradePollInterval <= TimeSpan.Zero)
        {
            failures.Add($"UpgradePollInterval must be positive (got {options.UpgradePollInterval}).");
        }

        if (options.UpgradeReminderPeriod <= TimeSpan.Zero)
        {
            failures.Add($"UpgradeReminderPeriod must be positive (got {options.UpgradeReminderPeriod}).");
        }

        if (options.HistoryLength < 1)
        {
            failures.Add($"HistoryLength must be at least 1 (got {options.HistoryLength}).");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceEngineVersion))
        {
            failures.Add("ServiceEngineVersion must not be empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, TakeoverGateOptions options) =>
        options.FencingWindow < TimeSpan.Zero
            ? ValidateOptionsResult.Fail($"FencingWindow must not be negative (got {options.FencingWindow}).")
            : ValidateOptionsResult.Success;
}
