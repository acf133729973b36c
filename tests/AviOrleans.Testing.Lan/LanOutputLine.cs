namespace AviOrleans.Testing.Lan;

/// <summary>One line a process wrote, stamped when the harness read it from the pipe.</summary>
/// <param name="Time">When the harness read the line (within a millisecond or so of the write on an idle machine).</param>
/// <param name="Text">The line.</param>
/// <param name="IsError">True for standard error.</param>
public sealed record LanOutputLine(LanTime Time, string Text, bool IsError);
