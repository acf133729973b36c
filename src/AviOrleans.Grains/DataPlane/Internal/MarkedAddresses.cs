using AviOrleans.Netlink;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>Withdrawing every marked address at once, as the fence thread and the guard's watchdog do.</summary>
internal static class MarkedAddresses
{
    /// <summary>
    /// Deletes every address carrying <paramref name="mark"/>, turning on promote_secondaries first on the IPv4
    /// interfaces concerned so that no unmarked secondary goes with a marked primary. Returns one result per address.
    /// </summary>
    public static IReadOnlyList<AddressOperationResult> Withdraw(NetlinkRouteClient client, byte mark)
    {
        var marked = client.ListAddresses().Where(a => a.Protocol == mark).ToList();
        if (marked.Count == 0)
        {
            return [];
        }

        foreach (var interfaceName in marked.Where(a => !a.IsIPv6).Select(a => a.InterfaceName).Distinct(StringComparer.Ordinal))
        {
            try
            {
                client.SetPromoteSecondaries(interfaceName, enabled: true);
            }
            catch (NetworkInterfaceNotFoundException)
            {
                // Gone with its addresses: the delete reports it per address.
            }
        }

        return client.DeleteAddresses([.. marked.Select(a => new AddressRequest(a.Address, a.PrefixLength, a.InterfaceName))]);
    }
}
