using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Tests;

public sealed class PrivilegeTests
{
    [Fact]
    public async Task AddAddress_WithoutCapNetAdmin_ThrowsPermissionErrorNamingTheCapability()
    {
        await using var pair = await VethPair.CreateAsync();

        var (exitCode, output, error) = await RunProbeWithoutAsync(pair, "net_admin", "add", VethPair.LocalInterface, "192.0.2.70/32");

        Assert.True(exitCode == 0, $"exit {exitCode}: {output} {error}");
        Assert.Contains("NetlinkPermissionException errno=1", output, StringComparison.Ordinal);
        Assert.Contains("CAP_NET_ADMIN", output, StringComparison.Ordinal);
        Assert.Contains("192.0.2.70/32 on vip0", output, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.70/32", await HostCommand.IpAddressesAsync(pair.LocalNamespace, VethPair.LocalInterface));
    }

    [Fact]
    public async Task NeighborAnnouncerOpen_WithoutCapNetRaw_ThrowsPermissionErrorNamingTheCapability()
    {
        await using var pair = await VethPair.CreateAsync();

        var (exitCode, output, error) = await RunProbeWithoutAsync(pair, "net_raw", "announce");

        Assert.True(exitCode == 0, $"exit {exitCode}: {output} {error}");
        Assert.Contains("NetlinkPermissionException errno=1", output, StringComparison.Ordinal);
        Assert.Contains("CAP_NET_RAW is needed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("CAP_NET_ADMIN", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NeighborAnnouncerOpen_WithCapNetRawButWithoutCapNetAdmin_Opens()
    {
        // The control for the test above: the probe's refusal comes from the dropped capability, not from setpriv.
        await using var pair = await VethPair.CreateAsync();

        var (exitCode, output, error) = await RunProbeWithoutAsync(pair, "net_admin", "announce");

        Assert.True(exitCode == 3, $"exit {exitCode}: {output} {error}");
        Assert.Contains("opened", output, StringComparison.Ordinal);
    }

    /// <summary>Runs the probe inside the pair's local namespace (`ip netns exec`) with one capability dropped:
    /// setpriv removes it from the bounding and inheritable sets, so the exec'd process (still uid 0) does not get it.</summary>
    private static async Task<(int ExitCode, string Output, string Error)> RunProbeWithoutAsync(VethPair pair, string capability, params string[] probeArguments)
    {
        var probe = Path.Combine(AppContext.BaseDirectory, "AviOrleans.Netlink.PrivilegeProbe.dll");
        var dotnet = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        Assert.True(File.Exists(probe), probe);
        Assert.True(File.Exists(dotnet), dotnet);

        return await HostCommand.TryRunAsync(
            "ip", ["netns", "exec", pair.LocalNamespace, "setpriv", $"--inh-caps=-{capability}", $"--bounding-set=-{capability}", "--", dotnet, probe, .. probeArguments]);
    }
}
