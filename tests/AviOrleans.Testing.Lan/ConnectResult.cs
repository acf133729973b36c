namespace AviOrleans.Testing.Lan;

/// <summary>What one TCP connection attempt found.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Answer">The first line the server sent (the banner: the host's name), when <see cref="ProbeOutcome.Answered"/>.</param>
/// <param name="Error">The socket error, when the attempt failed with one.</param>
public sealed record ConnectResult(ProbeOutcome Outcome, string? Answer, string? Error);
