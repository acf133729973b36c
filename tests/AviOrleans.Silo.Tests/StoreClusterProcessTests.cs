using System.Globalization;
using AviOrleans.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace AviOrleans.Silo.Tests;

/// <summary>
/// Three real <c>aviorleans-silo</c> processes on one store (a SQLite file, or a PostgreSQL schema of the test server)
/// with the HA grains and their co-hosted avi.v1 gateways: configuration loaded by one silo is served by the others,
/// and a silo killed with SIGKILL loses nothing that was acknowledged, while its SE's addresses move to its peer.
/// </summary>
[Collection(nameof(SiloProcessTests))]
public sealed class StoreClusterProcessTests : IAsyncDisposable
{
    private readonly List<SiloProcess> _silos = [];
    private string? _schema;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Cluster_SigkillOfASilo_KeepsAcknowledgedConfigurationAndFailsOver(string store)
    {
        var clusterId = "store-" + Guid.NewGuid().ToString("N")[..8];
        string[] storeArgs;
        if (store == "postgres")
        {
            _schema = "silo_" + clusterId.Replace('-', '_');
            storeArgs = ["--postgres", Testing.Stores.PostgreSqlTestServer.ConnectionString, "--schema", _schema];
        }
        else
        {
            storeArgs = ["--data-dir", TestData.Folder(clusterId)];
        }

        // se-a loads the configuration into a fresh store (migrated by the first silo), se-b is its peer in the
        // legacy pair, se-c a silo of the cluster that is no SE of the group (it hosts grains all the same).
        var config = RepositoryFiles.Path("examples/legacy-pair.json");
        var seA = Start("se-a", clusterId, storeArgs, gateway: true, "--config", config);
        await seA.LineAsync(l => l.EndsWith(" loaded (6 objects).", StringComparison.Ordinal));
        var seB = Start("se-b", clusterId, storeArgs, gateway: true, "--config", config);
        var notReplayed = await seB.LineAsync(l => l.StartsWith("the cluster's store holds a configuration", StringComparison.Ordinal));
        Start("se-c", clusterId, storeArgs, gateway: false);
        await _silos[2].LineAsync(l => l.Contains("active in cluster", StringComparison.Ordinal));
        using var viaA = GrpcChannel.ForAddress(await GatewayAsync(seA));
        using var viaB = GrpcChannel.ForAddress(await GatewayAsync(seB));

        // Both SEs are silos now: vs1 (tag SE_1) is active on se-a with se-b standing by.
        var before = await PlacementAsync(viaB, "vs1", p => p.Vip[0].ActiveSeRef == "se-a" && p.Vip[0].StandbySeRef == "se-b");
        var created = await new VirtualServiceService.VirtualServiceServiceClient(viaA).CreateVirtualServiceAsync(
            new() { VirtualService = new VirtualService { Name = "web", SeGroupRef = "edge-pair", Vip = { new Vip { VipId = "0", IpAddress = "192.0.2.50" } } } },
            cancellationToken: Ct);
        seA.Kill();

        // The survivor's gateway: vs1 fails over to se-b once se-a is declared dead and its fencing window ran out (HA
        // compromised: no standby left); "web", acknowledged before the kill, is still there, placed on the survivor;
        // the cluster takes new changes.
        // CI once got UNKNOWN here ("Exception was thrown by handler": an exception the gateway does not map; not
        // reproduced in 10 local runs): the survivor logs errors, and such a failure shows what it logged.
        VirtualServicePlacement after;
        try
        {
            after = await PlacementAsync(viaB, "vs1", p => p.Vip[0].ActiveSeRef == "se-b");
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unknown)
        {
            throw new InvalidOperationException($"se-b's gateway answered UNKNOWN; se-b logged:\n{seB.Output}", ex);
        }

        var web = await Read(() => new VirtualServiceService.VirtualServiceServiceClient(viaB).GetVirtualServiceAsync(new() { Name = "web" }, cancellationToken: Ct).ResponseAsync, "web is read");
        var webPlacement = await PlacementAsync(viaB, "web", p => p.Vip[0].ActiveSeRef == "se-b");
        var more = await Read(
            () => new VirtualServiceService.VirtualServiceServiceClient(viaB).CreateVirtualServiceAsync(
                new() { VirtualService = new VirtualService { Name = "web2", SeGroupRef = "edge-pair", Vip = { new Vip { VipId = "0", IpAddress = "192.0.2.51" } } } },
                cancellationToken: Ct).ResponseAsync,
            "web2 is created");

        Assert.Contains("examples/legacy-pair.json is not loaded.", notReplayed, StringComparison.Ordinal);
        Assert.Equal(PlacementState.Placed, before.State);
        Assert.Equal("web", created.Name);
        Assert.Equal(PlacementState.HaCompromised, after.State);
        Assert.Equal("192.0.2.50", Assert.Single(web.Vip).IpAddress);
        Assert.Equal(PlacementState.HaCompromised, webPlacement.State);
        Assert.Equal("web2", more.Name);
        Assert.All(_silos.Skip(1), s => Assert.DoesNotContain(s.Output.Split('\n'), l => l.StartsWith("membership ", StringComparison.Ordinal) && l.Contains(" se-b ", StringComparison.Ordinal) && l.EndsWith(" Dead", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        if (_schema is not null)
        {
            await Testing.Stores.PostgreSqlTestServer.ScalarAsync($"DROP SCHEMA IF EXISTS {_schema} CASCADE", CancellationToken.None);
        }
    }

    private SiloProcess Start(string name, string clusterId, string[] storeArgs, bool gateway, params string[] more)
    {
        // Orleans' default failure detection: this test is about the store and the grains, on a machine that other
        // test projects load; the shipped fast profile is exercised by SiloProcessTests and measured in bench/.
        string[] args =
        [
            "--silo-name", name, "--cluster-id", clusterId,
            "--silo-port", Ports.Free().ToString(CultureInfo.InvariantCulture), "--gateway-port", Ports.Free().ToString(CultureInfo.InvariantCulture),
            "--membership", "orleans-default", "--log-level", "error",
            .. gateway ? ["--listen", "127.0.0.1:0"] : new[] { "--no-gateway" },
            .. storeArgs, .. more,
        ];
        var silo = SiloProcess.Start(args);
        _silos.Add(silo);
        return silo;
    }

    private static async Task<Uri> GatewayAsync(SiloProcess silo)
    {
        var line = await silo.LineAsync(l => l.StartsWith("gateway listening on ", StringComparison.Ordinal));
        return new Uri(line.Split(' ')[3]);
    }

    private static Task<VirtualServicePlacement> PlacementAsync(GrpcChannel channel, string vs, Func<VirtualServicePlacement, bool> done) =>
        Eventually.ValueAsync(
            () => new HaService.HaServiceClient(channel).GetVirtualServicePlacementAsync(new() { VirtualServiceRef = vs }, cancellationToken: Ct).ResponseAsync,
            p => p.Vip.Count > 0 && done(p),
            Moving,
            $"the placement of {vs}");

    private static Task<T> Read<T>(Func<Task<T>> read, string because) => Eventually.ValueAsync(read, _ => true, Moving, because);

    // While a silo's death is being detected, calls to grains it hosted fail (UNAVAILABLE, or a deadline); the
    // survivors reactivate them from the store.
    private static bool Moving(Exception ex) =>
        ex is RpcException { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded };
}
