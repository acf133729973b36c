namespace AviOrleans.Netlink;

/// <summary>A change the kernel reported on an rtnetlink notification group.</summary>
public abstract record NetworkChange;
