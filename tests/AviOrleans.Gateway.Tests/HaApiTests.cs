using System.Net;
using AviOrleans.Api.V1;
using AviOrleans.Grains;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using static AviOrleans.Gateway.Tests.Setup;
using GrpcCode = Grpc.Core.StatusCode;
using PlacementChange = AviOrleans.Api.V1.PlacementChange;

namespace AviOrleans.Gateway.Tests;

public sealed class HaApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Placement_LegacyPair_ActiveAndStandbyOnDifferentSes()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await CreateVsAsync(server, "web", "pair", "192.0.2.10");

        var p = await PlacementAsync(server, "web");

        Assert.Equal(PlacementState.Placed, p.State);
        Assert.Equal("pair", p.SeGroupRef);
        Assert.True(p.Epoch > 0);
        var vip = Assert.Single(p.Vip);
        Assert.NotEmpty(vip.ActiveSeRef);
        Assert.NotEmpty(vip.StandbySeRef);
        Assert.NotEqual(vip.ActiveSeRef, vip.StandbySeRef);
        Assert.Single(vip.SeList, s => s.IsPrimary);
        Assert.Single(vip.SeList, s => s.IsStandby);
    }

    [Fact]
    public async Task Placement_NoCapacity_UnplacedWithReason()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1", MaxVsPerSe = 1, BufferSe = 0, MaxSe = 1 });
        await CreateEngineAsync(server, "se-1", "g1");
        await CreateVsAsync(server, "a", "g1", "192.0.2.10");

        await CreateVsAsync(server, "b", "g1", "192.0.2.11");
        var p = await PlacementAsync(server, "b");

        Assert.Equal(PlacementState.Unplaced, p.State);
        Assert.NotEmpty(p.Reason);
        Assert.Empty(p.Vip[0].ActiveSeRef);
    }

    [Fact]
    public async Task GroupStatus_LegacyPair_ReportsRolesAndAddressOwners()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await CreateVsAsync(server, "web", "pair", "192.0.2.10");

        var status = await server.ReaderAsync<GetServiceEngineGroupStatusRequest, ServiceEngineGroupStatus>("HaService/GetServiceEngineGroupStatus", new() { SeGroupRef = "pair" });
        var active = (await PlacementAsync(server, "web")).Vip[0].ActiveSeRef;

        Assert.Equal(["se-a", "se-b"], status.Se.Select(s => s.SeRef));
        Assert.Equal(1, status.PlacedVs);
        Assert.Contains(status.Addresses, a => a.Address == "192.0.2.10" && a.SeRef == active && a.Kind == AddressKind.Vip && a.VirtualServiceRef == "web");
        Assert.Contains(status.Addresses, a => a.Address == "192.0.2.250" && a.Kind == AddressKind.FloatingInterfaceIp);
        Assert.NotEmpty(status.Se1Ref);
    }

    [Fact]
    public async Task ListPlacements_ByGroup_Pages()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        for (var i = 0; i < 3; i++)
        {
            await CreateVsAsync(server, "vs-" + i, "pair", "192.0.2." + (10 + i));
        }

        var first = await server.ReaderAsync<ListVirtualServicePlacementsRequest, ListVirtualServicePlacementsResponse>("HaService/ListVirtualServicePlacements", new() { SeGroupRef = "pair", PageSize = 2 });
        var second = await server.ReaderAsync<ListVirtualServicePlacementsRequest, ListVirtualServicePlacementsResponse>("HaService/ListVirtualServicePlacements", new() { SeGroupRef = "pair", PageSize = 2, PageToken = first.NextPageToken });

        Assert.Equal(["vs-0", "vs-1"], first.Placements.Select(p => p.VirtualServiceRef));
        Assert.Equal(["vs-2"], second.Placements.Select(p => p.VirtualServiceRef));
        Assert.Empty(second.NextPageToken);
        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => server.ReaderAsync<ListVirtualServicePlacementsRequest, ListVirtualServicePlacementsResponse>(
            "HaService/ListVirtualServicePlacements", new() { PageSize = 2, PageToken = first.NextPageToken }));
        Assert.Equal(["page_token"], Fields(ex));
    }

    [Fact]
    public async Task SwitchoverVirtualService_Legacy_StandbyBecomesActive()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await CreateVsAsync(server, "web", "pair", "192.0.2.10");
        var before = await PlacementAsync(server, "web");

        var result = await server.AdminAsync<SwitchoverVirtualServiceRequest, HaOperationResponse>("HaService/SwitchoverVirtualService", new() { VirtualServiceRef = "web" });

        var after = Assert.Single(result.Placements);
        Assert.Equal(before.Vip[0].StandbySeRef, after.Vip[0].ActiveSeRef);
        Assert.True(after.Epoch > before.Epoch);
        Assert.Contains(result.Events, e => e.EventId == EventId.VsSwitchover && e.VirtualServiceRef == "web");
        Assert.True(result.Sequence > 0);
    }

    [Fact]
    public async Task History_AfterSwitchover_CreationThenTheFailoverWithItsDecision()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await CreateVsAsync(server, "web", "pair", "192.0.2.10");
        var before = await PlacementAsync(server, "web");
        await server.AdminAsync<SwitchoverVirtualServiceRequest, HaOperationResponse>("HaService/SwitchoverVirtualService", new() { VirtualServiceRef = "web" });

        var history = await server.ReaderAsync<GetVirtualServiceHistoryRequest, VirtualServiceHistory>("HaService/GetVirtualServiceHistory", new() { VirtualServiceRef = "web" });

        Assert.Equal("web", history.VirtualServiceRef);
        Assert.True(history.Records.Count >= 2, "the creation's placement and the switchover");
        Assert.All(history.Records, r => Assert.Equal("pair", r.SeGroupRef));
        Assert.Equal(history.Records.Select(r => r.Epoch).Order(), history.Records.Select(r => r.Epoch));
        var switchover = history.Records[^1];
        Assert.True(switchover.Failover);
        Assert.Equal("VS_SWITCHOVER", switchover.Cause);
        Assert.Equal(before.Vip[0].ActiveSeRef, switchover.FromSeRef);
        Assert.Equal(before.Vip[0].StandbySeRef, switchover.ToSeRef);
        Assert.NotNull(switchover.DecidedTime);

        // Nothing was suspected or declared dead: an operator's switchover has no such steps.
        Assert.Null(switchover.SuspectedTime);
        Assert.Null(switchover.DeclaredDeadTime);
    }

    [Fact]
    public async Task History_UnknownOrMissingName_NotFoundOrInvalidArgument()
    {
        await using var server = await GatewayServer.StartAsync();

        await FailsWithAsync(GrpcCode.NotFound, () => server.ReaderAsync<GetVirtualServiceHistoryRequest, VirtualServiceHistory>("HaService/GetVirtualServiceHistory", new() { VirtualServiceRef = "nope" }));
        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => server.ReaderAsync<GetVirtualServiceHistoryRequest, VirtualServiceHistory>("HaService/GetVirtualServiceHistory", new()));
        Assert.Equal(["virtual_service_ref"], Fields(ex));
    }

    [Fact]
    public async Task SwitchoverServiceEngine_Legacy_MovesEveryActiveToThePeer()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await CreateVsAsync(server, "web", "pair", "192.0.2.10");
        await CreateVsAsync(server, "api", "pair", "192.0.2.11");
        var active = (await PlacementAsync(server, "web")).Vip[0].ActiveSeRef;

        await server.AdminAsync<SwitchoverServiceEngineRequest, HaOperationResponse>("HaService/SwitchoverServiceEngine", new() { SeRef = active });

        Assert.NotEqual(active, (await PlacementAsync(server, "web")).Vip[0].ActiveSeRef);
        Assert.NotEqual(active, (await PlacementAsync(server, "api")).Vip[0].ActiveSeRef);
    }

    [Fact]
    public async Task Redistribute_DistributeLoad_SendsTaggedVsBackToItsSe()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server, distributeLoad: true);
        await CreateVsAsync(server, "one", "pair", "192.0.2.10", ActiveStandbySeTag.ActiveStandbySe1);
        await CreateVsAsync(server, "two", "pair", "192.0.2.11", ActiveStandbySeTag.ActiveStandbySe2);
        var home = (await PlacementAsync(server, "two")).Vip[0].ActiveSeRef;
        Assert.NotEqual((await PlacementAsync(server, "one")).Vip[0].ActiveSeRef, home);

        await server.AdminAsync<SwitchoverServiceEngineRequest, HaOperationResponse>("HaService/SwitchoverServiceEngine", new() { SeRef = home });
        Assert.NotEqual(home, (await PlacementAsync(server, "two")).Vip[0].ActiveSeRef);
        var result = await server.AdminAsync<RedistributeServiceEngineGroupRequest, HaOperationResponse>("HaService/RedistributeServiceEngineGroup", new() { SeGroupRef = "pair" });

        Assert.Equal(home, (await PlacementAsync(server, "two")).Vip[0].ActiveSeRef);
        Assert.Contains(result.Placements, p => p.VirtualServiceRef == "two");
    }

    [Fact]
    public async Task Migrate_InLegacyGroup_FailedPreconditionWithReason()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await CreateVsAsync(server, "web", "pair", "192.0.2.10");

        var ex = await FailsWithAsync(GrpcCode.FailedPrecondition, () => server.AdminAsync<MigrateVirtualServiceRequest, HaOperationResponse>("HaService/MigrateVirtualService", new() { VirtualServiceRef = "web" }));

        Assert.Contains("migrate", ex.Status.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(Detail<PreconditionFailure>(ex));
    }

    [Fact]
    public async Task Switchover_InElasticGroup_FailedPrecondition()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1" });
        await CreateEngineAsync(server, "se-1", "g1");
        await CreateVsAsync(server, "web", "g1", "192.0.2.10");

        await FailsWithAsync(GrpcCode.FailedPrecondition, () => server.AdminAsync<SwitchoverVirtualServiceRequest, HaOperationResponse>("HaService/SwitchoverVirtualService", new() { VirtualServiceRef = "web" }));
    }

    [Fact]
    public async Task ScaleOutMigrateScaleIn_Elastic_MovesPlacements()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1", BufferSe = 0, VsScaleinTimeout = 0 });
        foreach (var se in new[] { "se-1", "se-2", "se-3" })
        {
            await CreateEngineAsync(server, se, "g1");
        }

        await CreateVsAsync(server, "web", "g1", "192.0.2.10");
        var first = (await PlacementAsync(server, "web")).Vip[0].ActiveSeRef;

        var scaled = await server.AdminAsync<ScaleOutVirtualServiceRequest, HaOperationResponse>("HaService/ScaleOutVirtualService", new() { VirtualServiceRef = "web" });
        Assert.Equal(2, Assert.Single(scaled.Placements).Vip[0].SeList.Count(s => !s.DeleteInProgress));
        Assert.Contains(scaled.Events, e => e.EventId == EventId.VsScaleoutDone);

        await server.AdminAsync<ScaleInVirtualServiceRequest, HaOperationResponse>("HaService/ScaleInVirtualService", new() { VirtualServiceRef = "web" });
        await server.AdminAsync<MigrateVirtualServiceRequest, HaOperationResponse>("HaService/MigrateVirtualService", new() { VirtualServiceRef = "web", FromSeRef = first });

        var after = await PlacementAsync(server, "web");
        Assert.NotEqual(first, after.Vip[0].ActiveSeRef);
        Assert.NotEmpty(after.Vip[0].ActiveSeRef);
    }

    [Fact]
    public async Task ScaleIn_AtOnePlacement_FailedPrecondition()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1" });
        await CreateEngineAsync(server, "se-1", "g1");
        await CreateVsAsync(server, "web", "g1", "192.0.2.10");

        await FailsWithAsync(GrpcCode.FailedPrecondition, () => server.AdminAsync<ScaleInVirtualServiceRequest, HaOperationResponse>("HaService/ScaleInVirtualService", new() { VirtualServiceRef = "web" }));
    }

    [Fact]
    public async Task Operation_UnknownVirtualService_NotFound()
    {
        await using var server = await GatewayServer.StartAsync();

        await FailsWithAsync(GrpcCode.NotFound, () => server.AdminAsync<SwitchoverVirtualServiceRequest, HaOperationResponse>("HaService/SwitchoverVirtualService", new() { VirtualServiceRef = "nope" }));
    }

    [Fact]
    public async Task Watch_SnapshotSyncedThenFailoverThenResume()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await CreateVsAsync(server, "web", "pair", "192.0.2.10");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        await using var watch = server.StreamAsync<WatchPlacementsRequest, PlacementChange>("HaService/WatchPlacements", new() { SeGroupRef = "pair" }, cts.Token).GetAsyncEnumerator(cts.Token);

        var snapshot = await NextAsync(watch);
        var synced = await NextAsync(watch);
        await server.AdminAsync<SwitchoverVirtualServiceRequest, HaOperationResponse>("HaService/SwitchoverVirtualService", new() { VirtualServiceRef = "web" });
        var update = await NextAsync(watch);
        await server.AdminAsync<SwitchoverVirtualServiceRequest, HaOperationResponse>("HaService/SwitchoverVirtualService", new() { VirtualServiceRef = "web" });
        await cts.CancelAsync();

        Assert.Equal(ChangeType.Snapshot, snapshot.ChangeType);
        Assert.Equal("web", snapshot.Placement.VirtualServiceRef);
        Assert.Equal(ChangeType.Synced, synced.ChangeType);
        Assert.Equal(ChangeType.Updated, update.ChangeType);
        Assert.Contains(update.Events, e => e.EventId == EventId.VsSwitchover);

        // A new watch resuming after the first update replays only the second one.
        using var resumeCts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        resumeCts.CancelAfter(TimeSpan.FromSeconds(30));
        await using var resumed = server.StreamAsync<WatchPlacementsRequest, PlacementChange>(
            "HaService/WatchPlacements", new() { SeGroupRef = "pair", ResumeAfterSequence = update.Sequence }, resumeCts.Token).GetAsyncEnumerator(resumeCts.Token);
        var replayed = await NextAsync(resumed);
        var live = await NextAsync(resumed);
        Assert.Equal(ChangeType.Updated, replayed.ChangeType);
        Assert.Equal(update.Sequence + 1, replayed.Sequence);
        Assert.Equal(ChangeType.Synced, live.ChangeType);
        await resumeCts.CancelAsync();
    }

    [Fact]
    public async Task Watch_GatewayReplaced_ResumesOnTheNextGatewayWithNothingLost()
    {
        // Two gateway processes over the same HA grains, each with a control plane of its own (an Orleans client's).
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await CreateVsAsync(server, "web", "pair", "192.0.2.10");
        var first = await GatewayHost.StartAsync(new GatewayOptions { Address = IPAddress.Loopback, Port = 0 }, new GrainHaControlPlane(server.Cluster.Client), cancellationToken: Ct);
        await using var second = await GatewayHost.StartAsync(new GatewayOptions { Address = IPAddress.Loopback, Port = 0 }, new GrainHaControlPlane(server.Cluster.Client), cancellationToken: Ct);
        using var toFirst = GatewayServer.CreateChannel(first.Address);
        using var toSecond = GatewayServer.CreateChannel(second.Address);
        var haFirst = new HaService.HaServiceClient(toFirst);
        var haSecond = new HaService.HaServiceClient(toSecond);
        ulong seen;
        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            using var call = haFirst.WatchPlacements(new() { SeGroupRef = "pair" }, cancellationToken: cts.Token);
            await using var watch = call.ResponseStream.ReadAllAsync(cts.Token).GetAsyncEnumerator(cts.Token);
            await NextAsync(watch);
            seen = (await NextAsync(watch)).Sequence;
            await cts.CancelAsync();
        }

        // The first gateway goes away; changes happen while the client has no watch open.
        await first.DisposeAsync();
        for (var i = 0; i < 2; i++)
        {
            await haSecond.SwitchoverVirtualServiceAsync(new() { VirtualServiceRef = "web" }, cancellationToken: Ct);
        }

        using var resumeCts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var resumeCall = haSecond.WatchPlacements(new() { SeGroupRef = "pair", ResumeAfterSequence = seen }, cancellationToken: resumeCts.Token);
        await using var resumed = resumeCall.ResponseStream.ReadAllAsync(resumeCts.Token).GetAsyncEnumerator(resumeCts.Token);
        var missed = new[] { await NextAsync(resumed), await NextAsync(resumed) };
        var synced = await NextAsync(resumed);
        await resumeCts.CancelAsync();

        Assert.All(missed, m => Assert.Equal(ChangeType.Updated, m.ChangeType));
        Assert.True(missed[0].Sequence > seen && missed[1].Sequence > missed[0].Sequence);
        Assert.Equal(ChangeType.Synced, synced.ChangeType);
    }

    [Fact]
    public async Task Upgrade_LegacyPair_StreamsEveryStepAndKeepsTheVsPlaced()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await CreateVsAsync(server, "web", "pair", "192.0.2.10");

        var steps = new List<UpgradeProgress>();
        await foreach (var step in server.StreamAsync<UpgradeServiceEngineGroupRequest, UpgradeProgress>(
            "HaService/UpgradeServiceEngineGroup", new() { SeGroupRef = "pair", Version = "31.2.1" }, Ct))
        {
            steps.Add(step);
            Assert.NotEmpty((await PlacementAsync(server, "web")).Vip[0].ActiveSeRef);
        }

        Assert.Equal(UpgradeState.UpgradeStarted, steps[0].State);
        Assert.Equal(2, steps[0].TotalSe);
        Assert.Equal(2, steps.Count(s => s.State == UpgradeState.UpgradeSeDone));
        Assert.Equal(UpgradeState.UpgradeCompleted, steps[^1].State);
        Assert.Equal(2, steps[^1].CompletedSe);
        var engines = await server.ReaderAsync<ListServiceEnginesRequest, ListServiceEnginesResponse>("ServiceEngineService/ListServiceEngines", new());
        Assert.All(engines.ServiceEngines, se => Assert.Equal("31.2.1", se.Version));
    }

    [Fact]
    public async Task Upgrade_NoVersion_InvalidArgumentOnVersion()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);

        var ex = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () =>
        {
            await foreach (var step in server.StreamAsync<UpgradeServiceEngineGroupRequest, UpgradeProgress>("HaService/UpgradeServiceEngineGroup", new() { SeGroupRef = "pair" }, Ct))
            {
                Assert.Fail("no progress expected, got " + step);
            }
        });

        Assert.Equal(GrpcCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["version"], Fields(ex));
    }

    private static async Task<PlacementChange> NextAsync(IAsyncEnumerator<PlacementChange> watch)
    {
        Assert.True(await watch.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15), Ct));
        return watch.Current;
    }
}
