using System.Net;

namespace AviOrleans.Netlink.Tests;

public sealed class NetlinkChangeMonitorTests
{
    [Fact]
    public async Task Monitor_AddressRemovedAndLinkDownBehindItsBack_ReportsBoth()
    {
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        client.AddAddress(new AddressRequest(IPAddress.Parse("192.0.2.60"), 32, VethPair.LocalInterface) { Protocol = 0xA5 });
        using var monitor = NetlinkChangeMonitor.Start(pair.Local);

        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "addr", "del", "192.0.2.60/32", "dev", VethPair.LocalInterface);
        var removed = await ReadUntilAsync<AddressChange>(monitor, c => c.Removed && c.Address.Address.Equals(IPAddress.Parse("192.0.2.60")));
        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "link", "set", VethPair.LocalInterface, "down");
        var down = await ReadUntilAsync<LinkChange>(monitor, c => c.Link.Name == VethPair.LocalInterface && !c.Link.IsUp);

        Assert.Equal(VethPair.LocalInterface, removed.Address.InterfaceName);
        Assert.Equal(0xA5, removed.Address.Protocol);
        Assert.False(down.Removed);
        Assert.False(down.Link.HasCarrier);
    }

    private static async Task<T> ReadUntilAsync<T>(NetlinkChangeMonitor monitor, Func<T, bool> match)
        where T : NetworkChange
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        await foreach (var change in monitor.Changes.ReadAllAsync(timeout.Token))
        {
            if (change is T typed && match(typed))
            {
                return typed;
            }
        }

        throw new InvalidOperationException("The monitor stopped.");
    }
}
