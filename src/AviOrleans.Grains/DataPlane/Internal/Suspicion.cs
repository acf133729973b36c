using Orleans.Runtime;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>A peer suspected by the datapath heartbeats.</summary>
/// <param name="Silo">The suspected silo.</param>
/// <param name="Groups">The SE groups whose addresses it held, as its last reply said.</param>
/// <param name="At">When the suspicion arose (the silo's clock).</param>
/// <param name="Reason">What was missed.</param>
internal sealed record Suspicion(SiloAddress Silo, string[] Groups, DateTimeOffset At, string Reason);
