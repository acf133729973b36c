using System.Net;

namespace AviOrleans.Netlink.Tests;

public sealed class NetlinkRouteClientTests
{
    [Fact]
    public async Task AddListDelete_IPv4AndIPv6_SeenByLibraryAndByIp()
    {
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        var v4 = new AddressRequest(IPAddress.Parse("192.0.2.10"), 32, VethPair.LocalInterface) { Protocol = 0xA7, Label = VethPair.LocalInterface + ":vip" };
        var v6 = new AddressRequest(IPAddress.Parse("2001:db8::10"), 128, VethPair.LocalInterface) { Protocol = 0xA7 };

        Assert.Equal(AddressOperationOutcome.Added, client.AddAddress(v4));
        Assert.Equal(AddressOperationOutcome.Added, client.AddAddress(v6));

        var listed = client.ListAddresses(VethPair.LocalInterface);
        var listedV4 = Assert.Single(listed, a => a.Address.Equals(v4.Address));
        Assert.Equal(32, listedV4.PrefixLength);
        Assert.Equal(0xA7, listedV4.Protocol);
        Assert.Equal(VethPair.LocalInterface + ":vip", listedV4.Label);
        Assert.Null(listedV4.ValidLifetime);
        var listedV6 = Assert.Single(listed, a => a.Address.Equals(v6.Address));
        Assert.Equal(128, listedV6.PrefixLength);
        Assert.Equal(0xA7, listedV6.Protocol);
        Assert.True(listedV6.Flags.HasFlag(AddressFlags.NoDad));
        var ip = await HostCommand.IpAddressesAsync(pair.LocalNamespace, VethPair.LocalInterface);
        Assert.Contains("192.0.2.10/32", ip);
        Assert.Contains("2001:db8::10/128", ip);

        Assert.Equal(AddressOperationOutcome.Deleted, client.DeleteAddress(v4));
        Assert.Equal(AddressOperationOutcome.Deleted, client.DeleteAddress(v6));

        Assert.DoesNotContain(client.ListAddresses(VethPair.LocalInterface), a => a.Address.Equals(v4.Address) || a.Address.Equals(v6.Address));
        ip = await HostCommand.IpAddressesAsync(pair.LocalNamespace, VethPair.LocalInterface);
        Assert.DoesNotContain("192.0.2.10/32", ip);
        Assert.DoesNotContain("2001:db8::10/128", ip);
    }
}
