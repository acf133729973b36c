namespace AviOrleans.Testing.Lan;

/// <summary>One TCP connection attempt of a <see cref="VipProbe"/>.</summary>
/// <param name="Sequence">The attempt's number, from 0, in start order.</param>
/// <param name="Started">Just before connect(2).</param>
/// <param name="Completed">When the banner arrived, or the attempt failed or gave up.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="AnsweredBy">The banner (the answering host's name) when <see cref="ProbeOutcome.Answered"/>.</param>
/// <param name="Error">The socket error, when there was one.</param>
public sealed record ProbeAttempt(long Sequence, LanTime Started, LanTime Completed, ProbeOutcome Outcome, string? AnsweredBy, string? Error)
{
    /// <summary>True when <paramref name="host"/> answered.</summary>
    public bool IsAnsweredBy(string host) => Outcome == ProbeOutcome.Answered && AnsweredBy == host;
}
