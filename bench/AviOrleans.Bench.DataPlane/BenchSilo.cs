using System.Globalization;
using System.Net;
using AviOrleans.Grains;
using AviOrleans.Grains.DataPlane;
using AviOrleans.Grains.DataPlane.Internal;
using AviOrleans.Persistence;
using AviOrleans.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Serialization;

namespace AviOrleans.Bench.DataPlane;

/// <summary>
/// One SE host of the bench: an Orleans silo (PostgreSQL through the LAN's store relay, Orleans' fast membership
/// profile from ORLEANS-10-FACTS.md) with the data plane on <c>eth0</c> of the namespace it was started in. It prints
/// what happens as <c>EVT UNIX-MS KIND DETAIL</c> lines (one machine: every process reads the same CLOCK_REALTIME) and
/// takes commands on its standard input: <c>own ADDRESS</c> (an order for group "bench"), <c>gate SE</c> (run the
/// takeover gate for SE and report when it opens).
/// </summary>
internal static class BenchSilo
{
    private static readonly Lock Out = new();

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Arguments.Parse(args);
        var name = options["name"];
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c => c.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.None);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options["cluster"];
                o.ServiceId = options["cluster"];
            });
            silo.Configure<SiloOptions>(o => o.SiloName = name);
            silo.ConfigureEndpoints(IPAddress.Parse(options["address"]), 11111, 30000, listenOnAnyHostAddress: false);
            silo.Configure<ClusterMembershipOptions>(m => MembershipProfiles.Apply(MembershipProfile.Fast, m));
            silo.UseAviStore(s =>
            {
                s.UsePostgreSql(options["store"]);
                s.UseReminders = false;
            });
            silo.Services.AddSerializer(s => s.AddAviSerialization());
            silo.AddAviDataPlane(d =>
            {
                d.VipInterface = "eth0";
                d.DeclareDeadOnConfirmedSuspicion = options["declare"] == "true";
            });
        });
        using var host = builder.Build();
        await host.StartAsync();
        Watch(host.Services, name);
        await CommandsAsync(host.Services);
        await host.StopAsync();
        return 0;
    }

    private static void Watch(IServiceProvider services, string self)
    {
        var membership = services.GetRequiredService<IClusterMembershipService>();
        var fence = services.GetRequiredService<IHostFence>();
        var local = services.GetRequiredService<ILocalSiloDetails>();
        fence.Changed += state => Emit(state.IsFenced ? "fenced" : "lifted", state.Reason.Replace(' ', '_'));
        services.GetRequiredService<HeartbeatMonitor>().Suspected += s =>
            Emit("suspect", membership.CurrentSnapshot.Members.TryGetValue(s.Silo, out var m) ? m.Name : s.Silo.ToString());
        _ = Task.Run(async () =>
        {
            var known = new Dictionary<SiloAddress, SiloStatus>();
            var ready = false;
            await foreach (var snapshot in membership.MembershipUpdates)
            {
                foreach (var member in snapshot.Members.Values)
                {
                    if (!known.TryGetValue(member.SiloAddress, out var status) || status != member.Status)
                    {
                        known[member.SiloAddress] = member.Status;
                        Emit("status", member.Name + " " + member.Status);
                    }
                }

                if (!ready && snapshot.GetSiloStatus(local.SiloAddress) == SiloStatus.Active)
                {
                    ready = true;
                    _ = Task.Run(async () =>
                    {
                        while (fence.State.IsFenced)
                        {
                            await Task.Delay(10);
                        }

                        Emit("ready", self);
                    });
                }
            }
        });
    }

    private static async Task CommandsAsync(IServiceProvider services)
    {
        var ownership = services.GetRequiredService<IVipOwnership>();
        var gate = services.GetRequiredService<ITakeoverGate>();
        var epoch = 0L;
        while (await Console.In.ReadLineAsync() is { } line)
        {
            switch (line.Split(' '))
            {
                case ["own", var address]:
                    var ack = await ownership.ApplyAsync(new OwnershipOrder("bench", ++epoch, [new OwnedAddress(address, 32, OwnedAddressKind.Vip, "vs")]), CancellationToken.None);
                    Emit("owned", address + " " + ack.Applied);
                    break;
                case ["gate", var se]:
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            await gate.WaitUntilFencedAsync(se, CancellationToken.None);
                            Emit("gate-open", se);
                        }
                        catch (TakeoverGateUnavailableException ex)
                        {
                            Emit("gate-failed", se + " " + ex.Message.Replace(' ', '_'));
                        }
                    });
                    break;
                case ["quit"]:
                    return;
            }
        }
    }

    private static void Emit(string kind, string detail)
    {
        var now = DateTimeOffset.UtcNow;
        var ms = (now - DateTimeOffset.UnixEpoch).TotalMilliseconds;
        lock (Out)
        {
            Console.Out.WriteLine($"EVT {ms.ToString("F3", CultureInfo.InvariantCulture)} {kind} {detail}");
            Console.Out.Flush();
        }
    }
}
