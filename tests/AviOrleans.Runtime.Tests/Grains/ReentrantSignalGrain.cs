using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Tests.Grains;

[GrainType("reentrant-signal")]
public interface IReentrantSignalGrain : ISignalGrain;

[Reentrant]
public sealed class ReentrantSignalGrain : SignalGrain, IReentrantSignalGrain;
