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

    [Fact]
    public async Task AddAndDelete_Twice_SecondIsIdempotentSuccess()
    {
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        var v4 = new AddressRequest(IPAddress.Parse("192.0.2.20"), 32, VethPair.LocalInterface);
        var v6 = new AddressRequest(IPAddress.Parse("2001:db8::20"), 128, VethPair.LocalInterface);

        var firstAdd = client.AddAddresses([v4, v6]);
        var secondAdd = client.AddAddresses([v4, v6]);
        var firstDelete = client.DeleteAddresses([v4, v6]);
        var secondDelete = client.DeleteAddresses([v4, v6]);

        Assert.All(firstAdd, r => Assert.Equal(AddressOperationOutcome.Added, r.Outcome));
        Assert.All(secondAdd, r => Assert.Equal(AddressOperationOutcome.AlreadyPresent, r.Outcome));
        Assert.All(firstDelete, r => Assert.Equal(AddressOperationOutcome.Deleted, r.Outcome));
        Assert.All(secondDelete, r => Assert.Equal(AddressOperationOutcome.NotPresent, r.Outcome));
        Assert.DoesNotContain(client.ListAddresses(VethPair.LocalInterface), a => a.Scope == 0);
    }

    [Fact]
    public async Task AddAddress_MissingInterface_ThrowsNamingInterfaceAndChangesNothing()
    {
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        var good = new AddressRequest(IPAddress.Parse("192.0.2.30"), 32, VethPair.LocalInterface);
        var bad = new AddressRequest(IPAddress.Parse("192.0.2.31"), 32, "nosuch0");

        var single = Assert.Throws<NetworkInterfaceNotFoundException>(() => client.AddAddress(bad));
        var batch = Assert.Throws<NetworkInterfaceNotFoundException>(() => client.AddAddresses([good, bad]));

        Assert.Equal("nosuch0", single.InterfaceName);
        Assert.Contains("nosuch0", single.Message, StringComparison.Ordinal);
        Assert.Equal(19, batch.Errno);
        Assert.Null(client.FindLink("nosuch0"));
        Assert.DoesNotContain(client.ListAddresses(), a => a.Address.Equals(good.Address));
    }

    [Fact]
    public async Task AddAddresses_InvalidRequestInBatch_ThrowsAndChangesNothing()
    {
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        var good = new AddressRequest(IPAddress.Parse("192.0.2.40"), 32, VethPair.LocalInterface);
        var labelledV6 = new AddressRequest(IPAddress.Parse("2001:db8::40"), 128, VethPair.LocalInterface) { Label = "vip0:x" };

        Assert.Throws<ArgumentException>(() => client.AddAddresses([good, labelledV6]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AddressRequest(IPAddress.Parse("192.0.2.41"), 33, VethPair.LocalInterface));

        Assert.DoesNotContain(client.ListAddresses(), a => a.Address.Equals(good.Address));
    }

    [Fact]
    public async Task AddAddress_KernelRefuses_TypedErrorNamesAddressAndInterface()
    {
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        // The kernel refuses a multicast address as an interface address (EINVAL): a refusal the constructor cannot see.
        var request = new AddressRequest(IPAddress.Parse("192.0.2.42"), 32, VethPair.LocalInterface) { Broadcast = IPAddress.Parse("192.0.2.255") };
        var multicast = new AddressRequest(IPAddress.Parse("ff02::42"), 128, VethPair.LocalInterface);

        Assert.Equal(AddressOperationOutcome.Added, client.AddAddress(request));
        var error = Assert.Throws<AddressOperationException>(() => client.AddAddress(multicast));

        Assert.Equal(IPAddress.Parse("ff02::42"), error.Address);
        Assert.Equal(VethPair.LocalInterface, error.InterfaceName);
        Assert.Contains("ff02::42", error.Message, StringComparison.Ordinal);
        Assert.Equal(IPAddress.Parse("192.0.2.255"), client.ListAddresses(VethPair.LocalInterface).Single(a => a.Address.Equals(request.Address)).Broadcast);
    }

    [Fact]
    public async Task Links_GetAndList_ReportNameMacMtuAndState()
    {
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "link", "set", VethPair.LocalInterface, "mtu", "1400");

        var link = client.GetLink(VethPair.LocalInterface);
        var all = client.ListLinks();

        Assert.Equal(VethPair.LocalMac, string.Join(':', link.MacAddress.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(1400, link.Mtu);
        Assert.True(link.IsUp);
        Assert.True(link.HasCarrier);
        Assert.Equal(LinkOperationalState.Up, link.OperationalState);
        Assert.Contains(all, l => l.Name == "lo" && (l.Flags & LinkFlags.Loopback) != 0);
        Assert.Contains(all, l => l.Index == link.Index && l.Name == VethPair.LocalInterface);
        Assert.Throws<NetworkInterfaceNotFoundException>(() => client.GetLink("nosuch0"));
    }

    [Fact]
    public async Task Lifetime_NotRenewed_KernelRemovesAddress_RenewedInPlaceKeepsIt()
    {
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        var shortLived = new AddressRequest(IPAddress.Parse("192.0.2.50"), 32, VethPair.LocalInterface) { Lifetime = AddressLifetime.Of(TimeSpan.FromSeconds(2)), Protocol = 0xA5 };
        var shortLivedV6 = new AddressRequest(IPAddress.Parse("2001:db8::50"), 128, VethPair.LocalInterface) { Lifetime = AddressLifetime.Of(TimeSpan.FromSeconds(2)), Protocol = 0xA5 };
        var renewed = new AddressRequest(IPAddress.Parse("192.0.2.51"), 32, VethPair.LocalInterface) { Lifetime = AddressLifetime.Of(TimeSpan.FromSeconds(5)), Protocol = 0xA5 };

        client.AddAddresses([shortLived, shortLivedV6, renewed]).ToList().ForEach(r => r.EnsureSuccess());
        var listed = client.ListAddresses(VethPair.LocalInterface).Single(a => a.Address.Equals(renewed.Address));
        Assert.InRange(listed.ValidLifetime!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        Assert.False(listed.Flags.HasFlag(AddressFlags.Permanent));

        // Renew the third address in place every second for longer than the others live.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (client.ListAddresses(VethPair.LocalInterface).Any(a => a.Address.Equals(shortLived.Address) || a.Address.Equals(shortLivedV6.Address)))
        {
            Assert.True(DateTime.UtcNow < deadline, "The kernel did not remove the addresses whose lifetime ran out.");
            Assert.Equal(AddressOperationOutcome.AddedOrReplaced, client.AddOrReplaceAddress(renewed));
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        }

        Assert.Contains(client.ListAddresses(VethPair.LocalInterface), a => a.Address.Equals(renewed.Address) && a.Protocol == 0xA5);
        Assert.DoesNotContain("192.0.2.50/32", await HostCommand.IpAddressesAsync(pair.LocalNamespace, VethPair.LocalInterface));
    }

    [Fact]
    public async Task Batch_TenThousandIPv4Addresses_AllAddedListedAndDeleted()
    {
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        // 198.18.0.0/15 (RFC 2544 benchmarking): TEST-NETs together hold too few addresses for 10,000.
        var requests = Enumerable.Range(0, 10_000)
            .Select(i => new AddressRequest(new IPAddress([198, 18, (byte)(i >> 8), (byte)(i & 0xFF)]), 32, VethPair.LocalInterface) { Protocol = 0xA5 })
            .ToList();

        var added = client.AddAddresses(requests);
        var listed = client.ListAddresses(VethPair.LocalInterface).Count(a => a.Protocol == 0xA5);
        var ipListed = (await HostCommand.IpAddressesAsync(pair.LocalNamespace, VethPair.LocalInterface)).Count(a => a.StartsWith("198.18.", StringComparison.Ordinal));
        var deleted = client.DeleteAddresses(requests);

        Assert.Equal(10_000, added.Count);
        Assert.All(added, r => Assert.Equal(AddressOperationOutcome.Added, r.Outcome));
        Assert.Equal(10_000, listed);
        Assert.Equal(10_000, ipListed);
        Assert.All(deleted, r => Assert.Equal(AddressOperationOutcome.Deleted, r.Outcome));
        Assert.DoesNotContain(client.ListAddresses(VethPair.LocalInterface), a => a.Protocol == 0xA5);
    }

    [Fact]
    public async Task SetPromoteSecondaries_OnAndOff_SysctlFollowsAndDeletingThePrimaryKeepsTheSecondaryOnlyWhenOn()
    {
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        client.AddAddress(new AddressRequest(IPAddress.Parse("192.0.2.10"), 24, VethPair.LocalInterface));
        client.AddAddress(new AddressRequest(IPAddress.Parse("192.0.2.2"), 24, VethPair.LocalInterface));
        client.AddAddress(new AddressRequest(IPAddress.Parse("198.51.100.10"), 24, VethPair.LocalInterface));
        client.AddAddress(new AddressRequest(IPAddress.Parse("198.51.100.2"), 24, VethPair.LocalInterface));

        client.SetPromoteSecondaries(VethPair.LocalInterface, enabled: true);
        var on = await PromoteSecondariesAsync(pair.LocalNamespace);
        client.DeleteAddress(new AddressRequest(IPAddress.Parse("192.0.2.10"), 24, VethPair.LocalInterface));
        client.SetPromoteSecondaries(VethPair.LocalInterface, enabled: false);
        var off = await PromoteSecondariesAsync(pair.LocalNamespace);
        client.DeleteAddress(new AddressRequest(IPAddress.Parse("198.51.100.10"), 24, VethPair.LocalInterface));

        Assert.Equal("1", on);
        Assert.Equal("0", off);
        var left = await HostCommand.IpAddressesAsync(pair.LocalNamespace, VethPair.LocalInterface);
        Assert.Contains("192.0.2.2/24", left);
        Assert.DoesNotContain("198.51.100.2/24", left);
        Assert.Throws<NetworkInterfaceNotFoundException>(() => client.SetPromoteSecondaries("nosuch0", enabled: true));
    }

    [Fact]
    public void Open_UnknownNamespace_ThrowsNamingTheNamespaceFile()
    {
        Privilege.RequireRoot();

        var error = Assert.Throws<NetlinkException>(() => NetlinkRouteClient.Open(NetworkNamespace.FromName("avinl-no-such-namespace")));

        Assert.Equal(2, error.Errno);
        Assert.Contains("/var/run/netns/avinl-no-such-namespace", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => NetworkNamespace.FromName("../etc"));
    }

    [Fact]
    public void NetworkNamespace_NameOrPathWithNul_Refused()
    {
        // open(2) would stop at the NUL and open another file than the one named.
        Assert.Throws<ArgumentException>(() => NetworkNamespace.FromName("se1\0x"));
        Assert.Throws<ArgumentException>(() => NetworkNamespace.FromPath("/proc/1/ns/net\0/../x"));
    }

    private static async Task<string> PromoteSecondariesAsync(string namespaceName) =>
        (await HostCommand.RunAsync("ip", "netns", "exec", namespaceName, "sysctl", "-n", $"net.ipv4.conf.{VethPair.LocalInterface}.promote_secondaries")).Trim();
}
