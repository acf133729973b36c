using Microsoft.Extensions.Options;

namespace AviOrleans.Netlink.Agent;

/// <summary>Checks <see cref="VipAgentOptions"/> (use with <c>ValidateOnStart()</c>; the agent also runs it itself).</summary>
public sealed class VipAgentOptionsValidator : IValidateOptions<VipAgentOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, VipAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.AddressProtocol <= 3)
        {
            failures.Add($"{nameof(VipAgentOptions.AddressProtocol)} {options.AddressProtocol} is one of the kernel's own address protocols (0-3); choose 4-255.");
        }

        if (options.ReconcileInterval < TimeSpan.FromMilliseconds(100) || options.ReconcileInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{nameof(VipAgentOptions.ReconcileInterval)} {options.ReconcileInterval} must be between 100 ms and 1 hour.");
        }

        if (options.AddressLifetime is { } lifetime && (lifetime < TimeSpan.FromSeconds(3) || lifetime > AddressLifetime.MaxLifetime))
        {
            failures.Add($"{nameof(VipAgentOptions.AddressLifetime)} {lifetime} must be at least 3 seconds (renewed every third of it).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
