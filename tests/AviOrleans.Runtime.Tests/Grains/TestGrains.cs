using AviOrleans.Runtime.Hosting;

namespace AviOrleans.Runtime.Tests.Grains;

internal static class TestGrains
{
    public static GrainRegistrations Create() => new GrainRegistrations()
        .Add<ICounterGrain, CounterGrain>(ctx => new CounterGrain(ctx))
        .Add<ITurnGrain, TurnGrain>()
        .Add<ISignalGrain, SignalGrain>()
        .Add<IReentrantSignalGrain, ReentrantSignalGrain>()
        .Add<IFaultGrain, FaultGrain>()
        .Add<IPinnedGrain, PinnedGrain>()
        .Add<ITimerGrain, TimerGrain>()
        .Add<IBagGrain, BagGrain>()
        .Add<IWatcherGrain, WatcherGrain>();
}
