namespace AviOrleans.Runtime.Tests.Grains;

public sealed record TimerStats(int Ticks, int TicksDuringCalls, int OverlappingTicks);
