using System.Net;
using AviOrleans.Runtime.CodeGeneration;
using AviOrleans.Runtime.Internal;
using AviOrleans.Runtime.Membership;

namespace AviOrleans.Runtime.Tests;

public sealed class PlacementDirectorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void HashPlacement_SameView_SameOwnerOnEverySilo()
    {
        var snapshot = Snapshot(1, Silos(3));
        var a = new PlacementDirector();
        var b = new PlacementDirector();
        a.Update(snapshot);
        b.Update(snapshot);

        for (var i = 0; i < 200; i++)
        {
            var id = new GrainId("group", "g" + i);
            Assert.Equal(a.GetOwner(id, GrainPlacementKind.Hash, out _), b.GetOwner(id, GrainPlacementKind.Hash, out _));
        }
    }

    [Fact]
    public void HashPlacement_SiloLeaves_OnlyItsGrainsMove()
    {
        var silos = Silos(4);
        var before = new PlacementDirector();
        before.Update(Snapshot(1, silos));
        var after = new PlacementDirector();
        after.Update(Snapshot(2, silos.Take(3).ToList()));

        var ids = Enumerable.Range(0, 2000).Select(i => new GrainId("vs", "v" + i)).ToList();
        var moved = ids.Count(id => before.GetOwner(id, GrainPlacementKind.Hash, out _) != after.GetOwner(id, GrainPlacementKind.Hash, out _));
        var onLeaver = ids.Count(id => before.GetOwner(id, GrainPlacementKind.Hash, out _) == silos[3]);

        Assert.Equal(onLeaver, moved);
        Assert.InRange(onLeaver, 300, 700);
    }

    [Fact]
    public void Placement_OlderSnapshotAfterNewer_IsIgnored()
    {
        var silos = Silos(2);
        var director = new PlacementDirector();
        director.Update(Snapshot(5, silos.Take(1).ToList()));
        director.Update(Snapshot(4, silos));

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(silos[0], director.GetOwner(new GrainId("g", "k" + i), GrainPlacementKind.Hash, out _));
        }
    }

    [Theory]
    [InlineData("se-1", "se-1")]
    [InlineData("se-1/agent", "se-1")]
    [InlineData("se-1/a/b", "se-1")]
    public void PinnedSiloName_Key_NamesSiloBeforeFirstSlash(string key, string silo) =>
        Assert.Equal(silo, PlacementDirector.PinnedSiloName(key));

    [Fact]
    public void PinnedPlacement_SiloNotActive_NoOwnerWithReason()
    {
        var silos = Silos(2);
        var director = new PlacementDirector();
        director.Update(new MembershipSnapshot(new TableVersion(3, "3"), [Entry(silos[0], "se-1", SiloStatus.Active), Entry(silos[1], "se-2", SiloStatus.Dead)]));

        Assert.Equal(silos[0], director.GetOwner(new GrainId("se", "se-1"), GrainPlacementKind.Pinned, out _));
        Assert.Null(director.GetOwner(new GrainId("se", "se-2"), GrainPlacementKind.Pinned, out var error));
        Assert.Contains("se-2", error, StringComparison.Ordinal);
    }

    private static List<SiloAddress> Silos(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new SiloAddress(new IPEndPoint(IPAddress.Loopback, 11111 + i), 100 + i))];

    private static MembershipSnapshot Snapshot(int version, List<SiloAddress> silos) =>
        new(new TableVersion(version, version.ToString(System.Globalization.CultureInfo.InvariantCulture)), [.. silos.Select((s, i) => Entry(s, "silo-" + i, SiloStatus.Active))]);

    private static MembershipEntry Entry(SiloAddress silo, string name, SiloStatus status) => new()
    {
        Silo = silo,
        SiloName = name,
        HostName = "host",
        Status = status,
        StartTime = Start,
        IAmAliveTime = Start,
    };
}
