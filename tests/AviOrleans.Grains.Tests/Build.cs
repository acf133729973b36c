using AviOrleans.Domain;

namespace AviOrleans.Grains.Tests;

/// <summary>Fresh names and addresses per test (the cluster is shared), and builders of small configurations.</summary>
internal sealed class Build
{
    private static int s_address;
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..8] + "-";

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A name of this test's own.</summary>
    public string N(string name) => _prefix + name;

    /// <summary>An address no other test uses (TEST-NET-1..3; these are only configuration here).</summary>
    public static string Ip()
    {
        var i = Interlocked.Increment(ref s_address);
        var net = ((i / 250) % 3) switch { 0 => "192.0.2.", 1 => "198.51.100.", _ => "203.0.113." };
        return net + (1 + (i % 250)).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public ServiceEngineGroup Group(string name, HaMode mode = HaMode.Shared) => new() { Name = N(name), HaMode = mode };

    public ServiceEngine Engine(string name, string group) => new() { Name = N(name), SeGroupRef = N(group) };

    public VirtualService Vs(string name, string group, string? address = null) =>
        new() { Name = N(name), SeGroupRef = N(group), Vip = [new Vip { VipId = "0", IpAddress = address ?? Ip() }] };

    public async Task LegacyPairAsync(IHaControlPlane cp, string name = "pair")
    {
        await cp.CreateServiceEngineGroupAsync(Group(name, HaMode.LegacyActiveStandby) with { MaxSe = 2, BufferSe = 0 }, false, Ct);
        await cp.CreateServiceEngineAsync(Engine("se-a", name), false, Ct);
        await cp.CreateServiceEngineAsync(Engine("se-b", name), false, Ct);
    }
}
