namespace AviOrleans.Netlink;

/// <summary>The kernel dropped notifications because the socket's queue was full (ENOBUFS): the listener must
/// re-read the whole state rather than rely on the changes it saw.</summary>
public sealed record ChangesLost : NetworkChange;
