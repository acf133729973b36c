using AviOrleans.Persistence.Leases;
using AviOrleans.Persistence.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace AviOrleans.Persistence.Tests.Cluster;

/// <summary>
/// Real Orleans silos (three hosts with <c>UseOrleans</c> in this process, on loopback TCP) forming a cluster
/// through <c>UseAviStore</c>, with a client that finds them through the same store: they join, a grain's
/// <c>IPersistentState</c> survives a restart of the whole cluster, a reminder fires, a stopped silo ends Dead in
/// the table and in the survivors' view, and the lease store is the same database.
/// </summary>
public abstract class StoreClusterTests : IAsyncLifetime
{
    private readonly List<TestSilo> _silos = [];
    private readonly List<IHost> _clients = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The store every silo and client of a test uses.</summary>
    protected abstract StoreOptions Store();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.StopAsync(CancellationToken.None);
            client.Dispose();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private async Task<TestSilo> StartSiloAsync(string clusterId, string name)
    {
        var store = Store();
        var silo = await TestSilo.StartAsync(clusterId, name, silo =>
        {
            silo.UseAviStore(store);
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });
        _silos.Add(silo);
        return silo;
    }

    private async Task<IClusterClient> StartClientAsync(string clusterId)
    {
        var store = Store();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
            client.UseAviStore(store);
        });
        var host = builder.Build();
        _clients.Add(host);
        await host.StartAsync(Ct).WaitAsync(TimeSpan.FromSeconds(120), Ct);
        return host.Services.GetRequiredService<IClusterClient>();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"Never happened: {what}.");
    }

    private static async Task<int> ActiveCountAsync(TestSilo silo)
    {
        var data = await silo.Get<IMembershipTable>().ReadAllAsync(Ct);
        return data.Members.Count(m => m.Item1.Status == SiloStatus.Active);
    }

    [Fact]
    public async Task ThreeSilos_JoinThroughTheStore_AndAClientFindsThemAsGateways()
    {
        var clusterId = "c-" + Guid.NewGuid().ToString("N");
        var silos = new List<TestSilo>();
        for (var i = 0; i < 3; i++)
        {
            silos.Add(await StartSiloAsync(clusterId, $"se-{i}"));
        }

        await WaitUntilAsync(async () => await ActiveCountAsync(silos[0]) == 3, "three Active rows");
        await WaitUntilAsync(
            () => Task.FromResult(silos.All(s => s.Get<IClusterMembershipService>().CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) == 3)),
            "every silo sees three Active silos");
        var client = await StartClientAsync(clusterId);
        var values = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            values.Add(await client.GetGrain<ICounterGrain>($"grain-{i}").AddAsync(i));
        }

        var rows = (await silos[0].Get<IMembershipTable>().ReadAllAsync(Ct)).Members.Select(m => m.Item1).ToList();
        Assert.Equal(["se-0", "se-1", "se-2"], rows.Select(r => r.SiloName).Order());
        Assert.Equal(silos.Select(s => s.GatewayPort).Order(), rows.Select(r => r.ProxyPort).Order());
        Assert.Equal(Enumerable.Range(0, 12), values);
    }

    [Fact]
    public async Task PersistentState_WrittenThenWholeClusterRestarted_IsReadBack()
    {
        var clusterId = "c-" + Guid.NewGuid().ToString("N");
        var first = new[] { await StartSiloAsync(clusterId, "se-a"), await StartSiloAsync(clusterId, "se-b") };
        var client = await StartClientAsync(clusterId);
        var grains = Enumerable.Range(0, 8).Select(i => $"restart-{i}").ToList();
        foreach (var (key, i) in grains.Select((k, i) => (k, i)))
        {
            await client.GetGrain<ICounterGrain>(key).AddAsync(10 + i);
            await client.GetGrain<ICounterGrain>(key).AddAsync(5);
        }

        foreach (var silo in first)
        {
            await silo.StopAsync();
        }

        await StartSiloAsync(clusterId, "se-a");
        await StartSiloAsync(clusterId, "se-c");
        var again = await StartClientAsync(clusterId);
        var read = new List<int>();
        foreach (var key in grains)
        {
            read.Add(await again.GetGrain<ICounterGrain>(key).GetAsync());
        }

        Assert.Equal(Enumerable.Range(0, 8).Select(i => 15 + i), read);
    }

    [Fact]
    public async Task StoppedSilo_EndsDeadInTheTableAndInTheSurvivorsView()
    {
        var clusterId = "c-" + Guid.NewGuid().ToString("N");
        var silos = new List<TestSilo>();
        for (var i = 0; i < 3; i++)
        {
            silos.Add(await StartSiloAsync(clusterId, $"se-{i}"));
        }

        await WaitUntilAsync(async () => await ActiveCountAsync(silos[0]) == 3, "three Active rows");
        var stopped = silos[2].Get<ILocalSiloDetails>().SiloAddress;

        await silos[2].StopAsync();

        var table = silos[0].Get<IMembershipTable>();
        var row = (await table.ReadRowAsync(stopped, Ct)).Members.Single().Item1;
        Assert.Equal(SiloStatus.Dead, row.Status);
        await WaitUntilAsync(
            () => Task.FromResult(silos.Take(2).All(s => s.Get<IClusterMembershipService>().CurrentSnapshot.GetSiloStatus(stopped) == SiloStatus.Dead)),
            "both survivors see the stopped silo Dead");
        Assert.Equal(2, await ActiveCountAsync(silos[0]));
    }

    [Fact]
    public async Task Reminder_RegisteredByAGrain_IsStoredAndFires()
    {
        var clusterId = "c-" + Guid.NewGuid().ToString("N");
        var silo = await StartSiloAsync(clusterId, "se-a");
        var client = await StartClientAsync(clusterId);
        var grain = client.GetGrain<ICounterGrain>("reminded");

        await grain.RemindAsync(TimeSpan.FromSeconds(1));
        var stored = await silo.Get<IReminderTable>().ReadRows(grain.GetGrainId(), Ct);
        await WaitUntilAsync(async () => await grain.GetAsync() >= 1000, "the reminder fired and the grain wrote its state");

        Assert.Equal("tick", Assert.Single(stored.Reminders).ReminderName);
    }

    [Fact]
    public async Task LeaseStore_OfTheSilo_UsesTheStoreAndTheClusterId()
    {
        var clusterId = "c-" + Guid.NewGuid().ToString("N");
        var a = await StartSiloAsync(clusterId, "se-a");
        var b = await StartSiloAsync(clusterId, "se-b");

        var lease = await a.Get<ILeaseStore>().TryAcquireAsync("se-a", "host-a", TimeSpan.FromMinutes(1), Ct);
        var seen = await b.Get<ILeaseStore>().ReadAsync("se-a", Ct);

        Assert.NotNull(lease);
        Assert.Equal((lease.Owner, lease.Epoch), (seen!.Owner, seen.Epoch));
    }
}
