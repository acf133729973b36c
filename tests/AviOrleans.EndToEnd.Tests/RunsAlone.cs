namespace AviOrleans.EndToEnd.Tests;

/// <summary>
/// Tests that must not run beside the others: those whose system under test runs on sub-second timers (keepalived with
/// 100 ms adverts takes over spuriously when starved of CPU for its 0.36 s Master_Down_Interval), and the janitor's,
/// whose "dead run" leftovers any other test's <c>VirtualLan.StartAsync</c> would rightly clean up under its feet.
/// </summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;
