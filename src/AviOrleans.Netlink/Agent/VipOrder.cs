namespace AviOrleans.Netlink.Agent;

/// <summary>
/// The VIPs this host must own for one virtual service, as of <see cref="Epoch"/>. An order replaces the previous
/// one of the same virtual service; an empty <see cref="Vips"/> releases them all.
/// </summary>
public sealed record VipOrder
{
    /// <summary>Creates an order.</summary>
    /// <param name="virtualServiceId">The virtual service (its key in the cluster).</param>
    /// <param name="epoch">The ownership epoch from the store; orders older than the last one applied are rejected.</param>
    /// <param name="vips">The VIPs; none may appear twice.</param>
    public VipOrder(string virtualServiceId, long epoch, IReadOnlyList<VipBinding> vips)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(virtualServiceId);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentNullException.ThrowIfNull(vips);
        var seen = new HashSet<System.Net.IPAddress>();
        foreach (var vip in vips)
        {
            ArgumentNullException.ThrowIfNull(vip, nameof(vips));
            if (!seen.Add(vip.Address))
            {
                throw new ArgumentException($"VIP {vip.Address} appears twice in the order for virtual service '{virtualServiceId}'.", nameof(vips));
            }
        }

        VirtualServiceId = virtualServiceId;
        Epoch = epoch;
        Vips = vips.ToArray();
    }

    /// <summary>The virtual service.</summary>
    public string VirtualServiceId { get; }

    /// <summary>The ownership epoch.</summary>
    public long Epoch { get; }

    /// <summary>The VIPs to own.</summary>
    public IReadOnlyList<VipBinding> Vips { get; }
}
