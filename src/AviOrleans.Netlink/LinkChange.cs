namespace AviOrleans.Netlink;

/// <summary>A link appeared or changed state (RTM_NEWLINK: up, down, carrier), or was removed (RTM_DELLINK).</summary>
/// <param name="Link">The link as the kernel described it.</param>
/// <param name="Removed">True for RTM_DELLINK.</param>
public sealed record LinkChange(NetworkLink Link, bool Removed) : NetworkChange;
