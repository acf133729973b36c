using System.Collections.Immutable;
using Orleans.Runtime;

namespace AviOrleans.Grains;

/// <summary>
/// A dead SE's takeover gate starts as soon as its death is reported, so that it runs while the failover is decided and
/// written instead of after: the drive that needs the SE fenced then awaits the pass already under way.
/// </summary>
internal sealed partial class ServiceEngineGroupGrain
{
    private readonly Dictionary<string, (ImmutableHashSet<SiloAddress> Silos, Task Fenced)> _fencing = new(StringComparer.Ordinal);

    private void StartFencing(string seName)
    {
        // A pass for these very silos is under way already; one left from an earlier generation's death is replaced.
        var silos = SilosNamed(seName);
        if (_membership is null || (_fencing.TryGetValue(seName, out var started) && started.Silos.SetEquals(silos)))
        {
            return;
        }

        var fenced = _gate.WaitUntilFencedAsync(seName, _deactivating.Token);
        // A pass that no drive ends up awaiting must not surface as an unobserved exception.
        _ = fenced.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        _fencing[seName] = (silos, fenced);
    }

    /// <summary>
    /// The gate for <paramref name="seName"/>: the pass started at its death when the SE's silos are still the ones it
    /// judged (a generation that joined since was not judged) and it has not failed; otherwise a new pass. Either way it is
    /// used once.
    /// </summary>
    private Task WaitUntilFencedAsync(string seName, CancellationToken cancellationToken)
    {
        if (_fencing.Remove(seName, out var started) && !started.Fenced.IsFaulted && !started.Fenced.IsCanceled
            && started.Silos.SetEquals(SilosNamed(seName)))
        {
            return started.Fenced.WaitAsync(cancellationToken);
        }

        return _gate.WaitUntilFencedAsync(seName, cancellationToken);
    }

    private ImmutableHashSet<SiloAddress> SilosNamed(string seName) =>
        _membership is null
            ? []
            : [.. _membership.CurrentSnapshot.Members.Values.Where(m => string.Equals(m.Name, seName, StringComparison.Ordinal)).Select(m => m.SiloAddress)];
}
