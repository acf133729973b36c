using AviOrleans.Api.V1;
using static AviOrleans.Gateway.Tests.Setup;

namespace AviOrleans.Gateway.Tests;

/// <summary>
/// What an Avi admin reads through avi.v1: how many SEs a group needs and why, which SE is the buffer, each SE's
/// standing against max_se, a virtual service's requested and assigned SEs, and the events that say so.
/// </summary>
public sealed class SeRequirementApiTests
{
    private static Task<ServiceEngineGroupStatus> StatusAsync(GatewayServer server, string group) =>
        server.ReaderAsync<GetServiceEngineGroupStatusRequest, ServiceEngineGroupStatus>("HaService/GetServiceEngineGroupStatus", new() { SeGroupRef = group });

    [Fact]
    public async Task GroupStatus_BufferShort_SaysHowManySesAreMissingAndWhyThenNamesTheBuffer()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "nm", MaxVsPerSe = 2, BufferSe = 1, MaxSe = 4 });
        await CreateEngineAsync(server, "se-1", "nm");
        await CreateVsAsync(server, "web", "nm", "192.0.2.10");

        var short_ = await StatusAsync(server, "nm");

        Assert.True(short_.HaCompromised);
        Assert.Contains("buffer short", short_.HaCompromisedReason, StringComparison.Ordinal);
        Assert.Equal(1, short_.FreeSlots);
        var r = short_.SeRequirement;
        Assert.Equal((2, 1, 1, 1, 4, 3), (r.SesNeeded, r.SesUsable, r.SesMissing, r.SesCountingAgainstMaxSe, r.MaxSe, r.SesAddable));
        var need = Assert.Single(r.Needs);
        Assert.Equal(SeNeedReason.SeNeedBufferShort, need.Reason);
        Assert.Equal(1, need.Ses);
        Assert.Contains("buffer_se × max_vs_per_se = 1 × 2 = 2", need.Description, StringComparison.Ordinal);

        await CreateEngineAsync(server, "se-2", "nm");
        var whole = await StatusAsync(server, "nm");

        Assert.False(whole.HaCompromised);
        Assert.Empty(whole.SeRequirement.Needs);
        Assert.Equal(0, whole.SeRequirement.SesMissing);
        Assert.Equal(["se-2"], whole.Se.Where(s => s.IsBuffer).Select(s => s.SeRef));
        Assert.All(whole.Se, s => Assert.True(s.CountsAgainstMaxSe && s.GatewayReachable && s.DownSince is null));
    }

    [Fact]
    public async Task GroupStatus_VsWaitingForASlot_NamesItInTheNeed()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1", MaxVsPerSe = 1, BufferSe = 0, MaxSe = 1 });
        await CreateEngineAsync(server, "se-1", "g1");
        await CreateVsAsync(server, "a", "g1", "192.0.2.10");
        await CreateVsAsync(server, "b", "g1", "192.0.2.11");

        var status = await StatusAsync(server, "g1");

        var need = Assert.Single(status.SeRequirement.Needs);
        Assert.Equal(SeNeedReason.SeNeedVsAwaitingPlacement, need.Reason);
        Assert.Equal(["b"], need.VirtualServiceRefs);
        Assert.Equal(0, status.SeRequirement.SesAddable);
    }

    [Fact]
    public async Task ScaleOut_RequestedAndAssignedSesAreReadAndAScaleOutWithoutAnSeAsksForOne()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "nm", BufferSe = 0, MaxSe = 4 });
        await CreateEngineAsync(server, "se-1", "nm");
        await CreateEngineAsync(server, "se-2", "nm");
        await CreateVsAsync(server, "web", "nm", "192.0.2.10");
        var placed = await PlacementAsync(server, "web");
        Assert.Equal((1, 1, 0), (placed.NumSeRequested, placed.NumSeAssigned, placed.ScaleoutFactor));

        await server.AdminAsync<ScaleOutVirtualServiceRequest, HaOperationResponse>("HaService/ScaleOutVirtualService", new() { VirtualServiceRef = "web" });
        var waiting = await server.AdminAsync<ScaleOutVirtualServiceRequest, HaOperationResponse>("HaService/ScaleOutVirtualService", new() { VirtualServiceRef = "web" });

        Assert.Contains(waiting.Events, e => e.EventId == EventId.VsScaleoutDoneAwaitingMoreSe && e.VirtualServiceRef == "web");
        Assert.Contains(waiting.Events, e => e.EventId == EventId.SeNeeded);
        var p = await PlacementAsync(server, "web");
        Assert.Equal((3, 2, 2), (p.NumSeRequested, p.NumSeAssigned, p.ScaleoutFactor));
        Assert.Equal(PlacementState.HaCompromised, p.State);
        var need = Assert.Single((await StatusAsync(server, "nm")).SeRequirement.Needs);
        Assert.Equal((SeNeedReason.SeNeedVsAwaitingMoreSes, 1), (need.Reason, need.Ses));
        Assert.Equal(["web"], need.VirtualServiceRefs);
    }

    [Fact]
    public async Task History_ScaleOutWaitingForAnSeThenPlacedWhenOneJoins_RecordsBothWithAvisEvents()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "nm", BufferSe = 0, MaxSe = 4 });
        await CreateEngineAsync(server, "se-1", "nm");
        await CreateVsAsync(server, "web", "nm", "192.0.2.10");

        await server.AdminAsync<ScaleOutVirtualServiceRequest, HaOperationResponse>("HaService/ScaleOutVirtualService", new() { VirtualServiceRef = "web" });
        var waiting = await HistoryAsync(server, "web", h => h.Records.Any(r => r.Cause == "VS_SCALEOUT_DONE_AWAITING_MORE_SE"));
        await CreateEngineAsync(server, "se-2", "nm");
        var placed = await HistoryAsync(server, "web", h => h.Records.Any(r => r.SeRef.Contains("se-2")));

        var wait = waiting.Records.Single(r => r.Cause == "VS_SCALEOUT_DONE_AWAITING_MORE_SE");
        Assert.Equal(["se-1"], wait.SeRef);
        Assert.Contains("on 1 of 2 wanted service engines", wait.Description, StringComparison.Ordinal);
        var done = placed.Records.Single(r => r.SeRef.Contains("se-2"));
        Assert.Equal("VS_SCALEOUT_DONE", done.Cause);
        Assert.True(done.Epoch > wait.Epoch);
        Assert.False(done.Failover);
        Assert.Equal((2, 2), ((await PlacementAsync(server, "web")).NumSeRequested, (await PlacementAsync(server, "web")).NumSeAssigned));
    }

    [Fact]
    public async Task DeadSe_StatusShowsItsStandingAndAReplacementBeyondMaxSeIsRefusedWithTheReason()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "nm", MaxSe = 2, BufferSe = 0 });
        await CreateEngineAsync(server, "se-1", "nm");
        await CreateEngineAsync(server, "se-2", "nm");
        await CreateVsAsync(server, "web", "nm", "192.0.2.10");

        // Failure detection declares se-2 dead (what the silo's membership watcher or the data plane reports).
        await server.ControlPlane.ReportServiceEngineStateAsync("se-2", AviOrleans.Domain.OperState.Down, Ct);
        var status = await StatusAsync(server, "nm");

        var dead = status.Se.Single(s => s.SeRef == "se-2");
        Assert.Equal(OperState.OperDown, dead.OperState);
        Assert.NotNull(dead.DownSince);
        Assert.True(dead.CountsAgainstMaxSe);
        Assert.Equal(dead.DownSince.ToDateTimeOffset().AddSeconds(600), dead.CountsAgainstMaxSeUntil.ToDateTimeOffset());
        Assert.Equal((2, 0), (status.SeRequirement.SesCountingAgainstMaxSe, status.SeRequirement.SesAddable));

        var refused = await FailsWithAsync(Grpc.Core.StatusCode.InvalidArgument, () => CreateEngineAsync(server, "se-3", "nm"));
        var violation = Assert.Single(Detail<Google.Rpc.BadRequest>(refused)!.FieldViolations);
        Assert.Contains("max_se = 2", violation.Description, StringComparison.Ordinal);
        Assert.Contains("unresponsive_se_reboot + del_offline_se_after_reboot_delay", violation.Description, StringComparison.Ordinal);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The history of <paramref name="vs"/> once <paramref name="done"/> holds (records arrive after the decision; 10 s bound).</summary>
    private static async Task<VirtualServiceHistory> HistoryAsync(GatewayServer server, string vs, Func<VirtualServiceHistory, bool> done)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var history = await server.ReaderAsync<GetVirtualServiceHistoryRequest, VirtualServiceHistory>("HaService/GetVirtualServiceHistory", new() { VirtualServiceRef = vs });
            if (done(history))
            {
                return history;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"history of {vs}: {history}");
            await Task.Delay(50, Ct);
        }
    }
}
