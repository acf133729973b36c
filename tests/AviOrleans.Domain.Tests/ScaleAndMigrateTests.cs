using AviOrleans.Domain;
using AviOrleans.Domain.Tests.Support;

namespace AviOrleans.Domain.Tests;

public sealed class ScaleAndMigrateTests
{
    [Fact]
    public void AS26_ScaleOutAtMaxAndScaleInAtOne_AreRefused()
    {
        var s = GroupScenario.Create(HaMode.Shared).WithSes(5).WithVss(1);
        s.Run();

        var refusedIn = s.Run(new ScaleInRequest { VsRef = "vs-01" });
        Assert.False(Assert.Single(refusedIn.Outcomes).Accepted);
        Assert.Contains(refusedIn.Events, e => e.Type == HaEventType.VsScaleinFailed);

        for (var i = 0; i < 3; i++)
        {
            Assert.True(Assert.Single(s.Run(new ScaleOutRequest { VsRef = "vs-01" }).Outcomes).Accepted);
        }

        Assert.Equal(4, s.SesOf("vs-01").Count);
        var placement = s.Placement;
        var refusedOut = s.Run(new ScaleOutRequest { VsRef = "vs-01" });

        Assert.False(Assert.Single(refusedOut.Outcomes).Accepted);
        Assert.Contains("max_scaleout_per_vs", refusedOut.Outcomes[0].Reason, StringComparison.Ordinal);
        Assert.Same(placement, s.Placement);
    }

    [Fact]
    public void AS28_ScaleIn_SeDrainsForScaleinTimeoutThenIsRemoved()
    {
        var s = GroupScenario.Create(HaMode.Shared).WithSes(2).WithVss(1);
        s.Run();
        s.Run(new ScaleOutRequest { VsRef = "vs-01", ToSeRef = "se-2" });

        s.Run(new ScaleInRequest { VsRef = "vs-01", FromSeRef = "se-2" });

        var draining = s.Vs("vs-01").SeList.Single(e => e.SeRef == "se-2");
        Assert.True(draining.DeleteInProgress);
        Assert.Equal(GroupScenario.Start.AddSeconds(30), draining.DrainDeadline);
        Assert.Equal(GroupScenario.Start.AddSeconds(30), s.Placement!.GetNextDeadline());
        Assert.Equal(["se-1"], s.SesOf("vs-01"));

        s.Now = GroupScenario.Start.AddSeconds(29);
        s.Run();
        Assert.Equal(2, s.Vs("vs-01").SeList.Count);

        s.Now = GroupScenario.Start.AddSeconds(30);
        var done = s.Run();
        Assert.Equal(["se-1"], s.Vs("vs-01").SeList.Select(e => e.SeRef));
        Assert.Contains(done.Events, e => e.Type == HaEventType.VsScaleinDone);
        Assert.Null(s.Placement.GetNextDeadline());
    }

    [Fact]
    public void AS29_Migrate_TargetBecomesPrimaryAndSourceDrainsNeverZeroPlacements()
    {
        var s = GroupScenario.Create(HaMode.Shared).WithSes(2).WithVss(1);
        s.Run();
        Assert.Equal("se-1", s.Primary("vs-01"));

        var result = s.Run(new MigrateRequest { VsRef = "vs-01", ToSeRef = "se-2" });

        Assert.True(result.Outcomes[0].Accepted);
        Assert.Equal("se-2", s.Primary("vs-01"));
        Assert.Equal("se-2", s.Owners()["10.0.0.2"]);
        Assert.True(s.Vs("vs-01").SeList.Single(e => e.SeRef == "se-1").DeleteInProgress);

        s.Now = GroupScenario.Start.AddSeconds(31);
        var done = s.Run();
        Assert.Equal(["se-2"], s.Vs("vs-01").SeList.Select(e => e.SeRef));
        Assert.Equal("se-1", Assert.Single(done.Events, e => e.Type == HaEventType.VsMigrateDone).SeRef);
        Assert.DoesNotContain(done.Events, e => e.Type == HaEventType.VsScaleinDone);
    }

    [Fact]
    public void AS34_DisabledForPlacement_KeepsItsVssButGetsNoNewOnes()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { Algo = PlacementAlgo.Distributed }).WithSes(2).WithVss(2);
        s.Run();
        var onSe1 = s.Vss.Select(v => v.Name).Where(v => s.Primary(v) == "se-1").ToList();

        s.SetSe("se-1", se => se with { EnableState = SeEnableState.DisabledForPlacement });
        s.WithVss(4, prefix: "new-", firstOctet: 11);
        s.Run();

        Assert.All(onSe1, v => Assert.Equal("se-1", s.Primary(v)));
        Assert.All(s.Vss.Where(v => v.Name.StartsWith("new-", StringComparison.Ordinal)), v => Assert.Equal("se-2", s.Primary(v.Name)));
    }

    [Fact]
    public void AS34_Disabled_VssMigrateSeGoesDisablingThenDisabled()
    {
        var s = GroupScenario.Create(HaMode.Shared).WithSes(3).WithVss(6);
        s.Run();
        var onSe1 = s.Vss.Select(v => v.Name).Where(v => s.Primary(v) == "se-1").ToList();
        Assert.NotEmpty(onSe1);

        s.SetSe("se-1", se => se with { EnableState = SeEnableState.Disabled });
        var started = s.Run();

        Assert.Contains(started.Events, e => e.Type == HaEventType.MigrateSeStarted && e.SeRef == "se-1");
        Assert.All(onSe1, v => Assert.NotEqual("se-1", s.Primary(v)));
        Assert.Equal(OperState.Disabling, s.Placement!.ServiceEngines.Single(r => r.SeRef == "se-1").OperState);

        s.Now = GroupScenario.Start.AddSeconds(30);
        var finished = s.Run();

        Assert.Equal(OperState.Disabled, s.Placement.ServiceEngines.Single(r => r.SeRef == "se-1").OperState);
        Assert.Contains(finished.Events, e => e.Type == HaEventType.MigrateSeFinished);
        Assert.Equal(0, s.LoadOf("se-1"));
    }

    [Fact]
    public void AS34_DisabledWithNowhereToGo_ErrorDisabledAndTheVsKeepsServing()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { MaxVsPerSe = 1, BufferSe = 0 }).WithSes(2).WithVss(2);
        s.Run();
        var onSe1 = s.Vss.Select(v => v.Name).Single(v => s.Primary(v) == "se-1");

        s.SetSe("se-1", se => se with { EnableState = SeEnableState.Disabled });
        var result = s.Run();

        Assert.Equal(OperState.ErrorDisabled, s.Placement!.ServiceEngines.Single(r => r.SeRef == "se-1").OperState);
        Assert.Contains(result.Events, e => e.Type == HaEventType.MigrateSeFailed);
        Assert.Equal("se-1", s.Primary(onSe1));
    }

    [Fact]
    public void AS34_DisabledForce_VssLeaveAtOnceWithoutDrain()
    {
        var s = GroupScenario.Create(HaMode.Shared).WithSes(2).WithVss(2);
        s.Run();

        s.SetSe("se-1", se => se with { EnableState = SeEnableState.DisabledForce });
        s.Run();

        Assert.All(s.Vss, v => Assert.Equal(["se-2"], s.Vs(v.Name).SeList.Select(e => e.SeRef)));
        Assert.Equal(OperState.Disabled, s.Placement!.ServiceEngines.Single(r => r.SeRef == "se-1").OperState);
    }

    [Fact]
    public void AS35_VssSharingAVip_AlwaysHaveTheSameSesAndPrimary()
    {
        var s = GroupScenario.Create(HaMode.SharedPair, g => g with { Algo = PlacementAlgo.Distributed }).WithSes(4).WithVss(3);
        s.VsVips.Add(new VsVip { Name = "web", Vip = [new Vip { VipId = "0", IpAddress = "192.0.2.80", Ip6Address = "2001:db8::80" }] });
        s.Vss.Add(new VirtualService { Name = "web-http", SeGroupRef = "g", VsvipRef = "web" });
        s.Vss.Add(new VirtualService { Name = "web-https", SeGroupRef = "g", VsvipRef = "web" });
        s.Run();

        void AssertTogether()
        {
            Assert.Equal(s.Vs("web-http").SeList, s.Vs("web-https").SeList);
            Assert.Equal(s.Primary("web-http"), s.Primary("web-https"));
        }

        AssertTogether();
        s.Run(new ScaleOutRequest { VsRef = "web-https" });
        AssertTogether();
        Assert.Equal(3, s.SesOf("web-http").Count);
        s.Run(new MigrateRequest { VsRef = "web-http" });
        AssertTogether();
        s.Fail(s.Primary("web-http")!);
        s.Run();
        AssertTogether();
        var owners = s.Placement!.GetAddressOwners();
        Assert.Single(owners, o => o.Address == "192.0.2.80");
        Assert.Equal(s.Primary("web-http"), owners.Single(o => o.Address == "2001:db8::80").SeRef);
    }

    [Fact]
    public void AS36_PerApp_AThirdVsGoesToAnotherSe()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { PerApp = true, BufferSe = 0 }).WithSes(3).WithVss(3);

        s.Run();

        Assert.All(s.Placement!.ServiceEngines, r => Assert.True(r.Load <= 2));
        Assert.Equal(2, s.Placement.ServiceEngines.Count(r => r.Load > 0));
    }
}
