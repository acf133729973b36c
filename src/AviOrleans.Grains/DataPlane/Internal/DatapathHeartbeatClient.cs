using Orleans.Runtime;
using Orleans.Runtime.Services;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>Addresses the datapath heartbeat service of one silo.</summary>
internal sealed class DatapathHeartbeatClient(IServiceProvider services) : GrainServiceClient<IDatapathHeartbeatService>(services)
{
    public IDatapathHeartbeatService For(SiloAddress silo) => GetGrainService(silo);
}
