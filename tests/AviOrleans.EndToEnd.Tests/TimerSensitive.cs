namespace AviOrleans.EndToEnd.Tests;

/// <summary>Tests whose system under test runs on sub-second timers: run after the others, never beside them.</summary>
[CollectionDefinition(nameof(TimerSensitive), DisableParallelization = true)]
public sealed class TimerSensitive;
