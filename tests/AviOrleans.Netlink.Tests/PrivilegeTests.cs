using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Tests;

public sealed class PrivilegeTests
{
    [Fact]
    public async Task AddAddress_WithoutCapNetAdmin_ThrowsPermissionErrorNamingTheCapability()
    {
        await using var pair = await VethPair.CreateAsync();
        var probe = Path.Combine(AppContext.BaseDirectory, "AviOrleans.Netlink.PrivilegeProbe.dll");
        var dotnet = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        Assert.True(File.Exists(probe), probe);
        Assert.True(File.Exists(dotnet), dotnet);

        // setpriv drops CAP_NET_ADMIN from the bounding and inheritable sets, so the exec'd process (still uid 0)
        // does not get it; it runs inside the test namespace through `ip netns exec`.
        var (exitCode, output, error) = await HostCommand.TryRunAsync(
            "ip", "netns", "exec", pair.LocalNamespace,
            "setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin", "--",
            dotnet, probe, VethPair.LocalInterface, "192.0.2.70/32");

        Assert.True(exitCode == 0, $"exit {exitCode}: {output} {error}");
        Assert.Contains("NetlinkPermissionException errno=1", output, StringComparison.Ordinal);
        Assert.Contains("CAP_NET_ADMIN", output, StringComparison.Ordinal);
        Assert.Contains("192.0.2.70/32 on vip0", output, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.70/32", await HostCommand.IpAddressesAsync(pair.LocalNamespace, VethPair.LocalInterface));
    }
}
