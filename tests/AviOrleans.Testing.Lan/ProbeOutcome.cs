namespace AviOrleans.Testing.Lan;

/// <summary>How a TCP connection attempt to a VIP ended.</summary>
public enum ProbeOutcome
{
    /// <summary>Connected and the server sent its banner (the answering host's name).</summary>
    Answered = 1,

    /// <summary>Refused: a host holds the address but nothing listens (RST to the SYN).</summary>
    Refused = 2,

    /// <summary>No answer within the attempt's bound (SYN lost: nobody resolves or holds the address, or the host is frozen).</summary>
    TimedOut = 3,

    /// <summary>EHOSTUNREACH/ENETUNREACH: the client's ARP resolution failed.</summary>
    Unreachable = 4,

    /// <summary>Connected, then reset before the banner arrived.</summary>
    Reset = 5,

    /// <summary>Connected, but no banner within the attempt's bound (the kernel accepted; the process did not answer).</summary>
    Silent = 6,

    /// <summary>Another socket error (named in the attempt).</summary>
    Failed = 7,
}
