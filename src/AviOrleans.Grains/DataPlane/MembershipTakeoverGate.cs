using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AviOrleans.Grains.DataPlane;

/// <summary>
/// The simple <see cref="ITakeoverGate"/>: waits until the SE's silo is Dead in this silo's
/// membership view, then <see cref="TakeoverGateOptions.FencingWindow"/> more on the local clock.
/// Conservative, and correct only when the dead SE fences itself within that window; the data
/// plane's fenced gate (store-clock leases) replaces it. An SE with no silo in the membership
/// table at all has never been a member here and so owns nothing: it passes at once.
/// </summary>
public sealed class MembershipTakeoverGate : ITakeoverGate
{
    private readonly IClusterMembershipService _membership;
    private readonly TimeProvider _time;
    private readonly TakeoverGateOptions _options;

    /// <summary>Creates the gate.</summary>
    public MembershipTakeoverGate(IClusterMembershipService membership, TimeProvider time, IOptions<TakeoverGateOptions> options)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _membership = membership;
        _time = time;
        _options = options.Value;
    }

    /// <inheritdoc/>
    public async Task WaitUntilFencedAsync(string seName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(seName);
        var seenDeadAt = (DateTimeOffset?)null;
        await foreach (var snapshot in _membership.MembershipUpdates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var members = snapshot.Members.Values.Where(m => string.Equals(m.Name, seName, StringComparison.Ordinal)).ToArray();
            if (members.Length == 0 || members.All(m => m.Status == SiloStatus.Dead))
            {
                seenDeadAt = _time.GetUtcNow();
                break;
            }
        }

        if (seenDeadAt is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"The membership view ended before service engine {seName} was seen dead.");
        }

        var remaining = seenDeadAt.Value + _options.FencingWindow - _time.GetUtcNow();
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
