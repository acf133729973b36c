using AviOrleans.Domain;

namespace AviOrleans.Grains.Tests;

/// <summary>Builders of small configurations for control-plane tests.</summary>
internal static class Build
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static ServiceEngineGroup Group(string name, HaMode mode = HaMode.Shared) => new() { Name = name, HaMode = mode };

    public static ServiceEngine Engine(string name, string group, string? host = null) => new() { Name = name, SeGroupRef = group, HostRef = host };

    public static VirtualService Vs(string name, string group, string address) =>
        new() { Name = name, SeGroupRef = group, Vip = [new Vip { VipId = "0", IpAddress = address }] };

    public static async Task<InMemoryHaControlPlane> LegacyPairAsync(TimeProvider? time = null)
    {
        var cp = new InMemoryHaControlPlane(time);
        await cp.CreateServiceEngineGroupAsync(Group("pair", HaMode.LegacyActiveStandby) with { MaxSe = 2, BufferSe = 0 }, false, Ct);
        await cp.CreateServiceEngineAsync(Engine("se-a", "pair"), false, Ct);
        await cp.CreateServiceEngineAsync(Engine("se-b", "pair"), false, Ct);
        return cp;
    }
}
