namespace AviOrleans.Runtime.Membership;

/// <summary>One silo's vote that another silo is dead, with the time it was cast.</summary>
/// <param name="Suspecter">The silo that cast the vote.</param>
/// <param name="Time">When the vote was cast (UTC).</param>
public readonly record struct SuspectVote(SiloAddress Suspecter, DateTimeOffset Time);
