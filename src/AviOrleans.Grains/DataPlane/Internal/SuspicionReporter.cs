using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>
/// Tells the groups of a suspected SE about the suspicion (<see cref="IServiceEngineGroupGrain.ReportSuspicionAsync"/>),
/// for the failover timeline; the groups move nothing on it.
/// </summary>
internal sealed partial class SuspicionReporter(IGrainFactory grains, IClusterMembershipService membership, ILogger<SuspicionReporter> logger)
{
    public void Report(Suspicion suspicion)
    {
        ArgumentNullException.ThrowIfNull(suspicion);
        if (!membership.CurrentSnapshot.Members.TryGetValue(suspicion.Silo, out var member) || string.IsNullOrEmpty(member.Name))
        {
            return;
        }

        foreach (var group in suspicion.Groups)
        {
            _ = ReportAsync(group, member.Name, suspicion);
        }
    }

    private async Task ReportAsync(string group, string seName, Suspicion suspicion)
    {
        try
        {
            await grains.GetGrain<IServiceEngineGroupGrain>(group).ReportSuspicionAsync(seName, suspicion.At, suspicion.Reason).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            // A timeline entry lost; detection and takeover do not depend on it.
            Log.ReportFailed(logger, seName, group, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6136, Level = LogLevel.Warning, Message = "Reporting the suspicion of SE {Se} to group {Group} failed")]
        public static partial void ReportFailed(ILogger logger, string se, string group, Exception exception);
    }
}
