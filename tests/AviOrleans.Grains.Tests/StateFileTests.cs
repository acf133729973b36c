using AviOrleans.Domain;
using static AviOrleans.Grains.Tests.Build;

namespace AviOrleans.Grains.Tests;

public sealed class StateFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aviorleans-state-").FullName;

    private string StatePath => Path.Combine(_directory, "state.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Open_AfterRestart_SameConfigurationPlacementsAndEpochsThatKeepGrowing()
    {
        PlacementView before;
        await using (var first = InMemoryHaControlPlane.Open(StatePath))
        {
            await first.CreateServiceEngineGroupAsync(Group("pair", HaMode.LegacyActiveStandby) with { MaxSe = 2, BufferSe = 0 }, false, Ct);
            await first.CreateServiceEngineAsync(Engine("se-a", "pair"), false, Ct);
            await first.CreateServiceEngineAsync(Engine("se-b", "pair"), false, Ct);
            await first.CreateVirtualServiceAsync(Vs("web", "pair", "192.0.2.10"), false, Ct);
            await first.RequestAsync("pair", new VsSwitchoverRequest { VsRef = "web" }, Ct);
            before = await first.GetVirtualServicePlacementAsync("web", Ct);
        }

        await using var second = InMemoryHaControlPlane.Open(StatePath);
        var after = await second.GetVirtualServicePlacementAsync("web", Ct);
        await second.RequestAsync("pair", new VsSwitchoverRequest { VsRef = "web" }, Ct);
        var next = await second.GetVirtualServicePlacementAsync("web", Ct);

        Assert.Equal(before.Placement, after.Placement);
        Assert.Equal(2, (await second.ListServiceEnginesAsync("pair", Ct)).Count);
        Assert.True(next.Placement.Epoch > before.Placement.Epoch);
    }

    [Fact]
    public async Task Open_CorruptFile_RefusesToStart()
    {
        await File.WriteAllTextAsync(StatePath, "{ not json", Ct);

        var ex = Assert.Throws<InvalidDataException>(() => InMemoryHaControlPlane.Open(StatePath));

        Assert.Contains(StatePath, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Change_StateCannotBeSaved_FailsAndChangesNothing()
    {
        await using var cp = InMemoryHaControlPlane.Open(StatePath);
        await cp.CreateServiceEngineGroupAsync(Group("g1"), false, Ct);

        // A directory where the file's temporary copy should go makes every save fail.
        Directory.CreateDirectory(StatePath + ".tmp");
        await Assert.ThrowsAsync<HaStorageException>(() => cp.CreateServiceEngineGroupAsync(Group("g2"), false, Ct));

        Assert.Equal(["g1"], (await cp.ListServiceEngineGroupsAsync(Ct)).Select(g => g.Name));
    }
}
