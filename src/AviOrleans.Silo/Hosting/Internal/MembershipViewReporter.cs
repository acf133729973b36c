using System.Globalization;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Runtime;

namespace AviOrleans.Silo.Hosting.Internal;

/// <summary>
/// Writes one line to the silo's output each time a silo changes status in this silo's membership view:
/// <c>membership 2026-11-22T03:36:00.123Z se-2 127.0.0.1:11112@123456789 Dead</c>. Operators see joins and deaths as
/// the cluster decides them; the failure-detection benchmark and tests read the survivors' lines, stamped with the
/// survivor's clock at the moment its view changed.
/// </summary>
internal sealed class MembershipViewReporter : BackgroundService
{
    private readonly IClusterMembershipService _membership;
    private readonly SiloOutput _output;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<SiloAddress, SiloStatus> _known = [];

    public MembershipViewReporter(IClusterMembershipService membership, SiloOutput output, TimeProvider timeProvider)
    {
        _membership = membership;
        _output = output;
        _timeProvider = timeProvider;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var snapshot in _membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var now = _timeProvider.GetUtcNow();
                foreach (var member in snapshot.Members.Values.OrderBy(m => m.SiloAddress.ToParsableString(), StringComparer.Ordinal))
                {
                    if (_known.TryGetValue(member.SiloAddress, out var previous) && previous == member.Status)
                    {
                        continue;
                    }

                    _known[member.SiloAddress] = member.Status;
                    _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"membership {now:yyyy-MM-ddTHH:mm:ss.fffZ} {member.Name} {member.SiloAddress.ToParsableString()} {member.Status}"));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        catch (ObjectDisposedException)
        {
            // The silo's update stream is gone with the silo.
        }
    }
}
