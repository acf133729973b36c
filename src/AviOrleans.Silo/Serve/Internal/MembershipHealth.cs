using AviOrleans.Gateway;
using AviOrleans.Runtime.Membership;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

using SiloAddress = AviOrleans.Runtime.Membership.SiloAddress;
using SiloStatus = AviOrleans.Runtime.Membership.SiloStatus;

namespace AviOrleans.Silo.Serve.Internal;

/// <summary>
/// Drives the gateway's grpc.health.v1 status from the silo's own membership view: Serving only while the
/// silo is Active in it; NotServing for good once <see cref="Leave"/> is called (shutting down) or the view
/// shows the silo anything but Active after it was.
/// </summary>
internal sealed class MembershipHealth : IObserver<MembershipSnapshot>
{
    private readonly Lock _sync = new();
    private readonly GatewayHealth _health;
    private readonly SiloAddress _self;
    private bool _left;

    /// <summary>Creates the bridge for the started silo whose address is <paramref name="self"/>.</summary>
    public MembershipHealth(GatewayHealth health, SiloAddress self)
    {
        _health = health;
        _self = self;
    }

    /// <summary>The silo is leaving (stop requested, or it stopped): NotServing from now on.</summary>
    public void Leave()
    {
        lock (_sync)
        {
            _left = true;
            _health.SetOverallStatus(ServingStatus.NotServing);
        }
    }

    /// <inheritdoc/>
    public void OnNext(MembershipSnapshot value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var status = value.GetStatus(_self);
        lock (_sync)
        {
            // Snapshots arrive on the thread pool and may be late: once leaving, none may turn it back on.
            if (_left)
            {
                return;
            }

            if (status == SiloStatus.Active)
            {
                _health.SetOverallStatus(ServingStatus.Serving);
            }
            else
            {
                _health.SetOverallStatus(ServingStatus.NotServing);
                if (status is SiloStatus.ShuttingDown or SiloStatus.Stopping or SiloStatus.Dead)
                {
                    _left = true;
                }
            }
        }
    }

    /// <inheritdoc/>
    public void OnError(Exception error) => Leave();

    /// <inheritdoc/>
    public void OnCompleted() => Leave();
}
