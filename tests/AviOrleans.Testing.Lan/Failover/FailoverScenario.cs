using System.Net;

namespace AviOrleans.Testing.Lan.Failover;

/// <summary>
/// One failover, measured the way FAILOVER-ANCHORS measured keepalived: start the system with the VIP on the first
/// host, wait until the client's probe is answered by it and the client's ARP entry points at it, wait a random phase
/// of the system's detection period, inject the fault (t0), and take the time to the client's first connection answered
/// by the second host; meanwhile sample every host's addresses and the client's ARP view every 10 ms. With a second
/// client on the LAN, its ARP entry for the VIP is pinned to the old host's MAC, which shows how long the old host keeps
/// answering for the VIP. Afterwards everything is put back (system stopped, host thawed or healed, VIP removed, ARP
/// entries forgotten), so runs can follow each other on one LAN.
/// </summary>
public static class FailoverScenario
{
    /// <summary>Runs <paramref name="system"/> through one fault on <paramref name="lan"/> (hosts 0 and 1).</summary>
    public static async Task<FailoverRunResult> RunAsync(VirtualLan lan, IFailoverSystem system, FailoverRunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lan);
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(options);
        if (lan.Hosts.Count < 2)
        {
            throw new ArgumentException("A failover needs two hosts.", nameof(lan));
        }

        var (active, survivor, vip) = (lan.Hosts[0], lan.Hosts[1], options.Vip);
        var target = new IPEndPoint(vip, lan.ServicePort);
        await ResetAsync(lan, vip, cancellationToken).ConfigureAwait(false);
        OwnershipSampler? sampler = null;
        VipProbe? probe = null;
        VipProbe? pinned = null;
        try
        {
            await system.StartAsync(lan, new FailoverDeployment(active, survivor, vip), cancellationToken).ConfigureAwait(false);
            sampler = OwnershipSampler.Start(lan, [vip]);
            probe = VipProbe.Start(lan.Client, target, options.Probe);
            await probe.WaitForAnswerAsync(active.Name, options.SteadyTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            await WaitForArpAsync(lan.Client, vip, active, options.SteadyTimeout, cancellationToken).ConfigureAwait(false);
            if (lan.Clients.Count > 1)
            {
                await lan.Clients[1].PinNeighborAsync(vip, active.MacAddress, cancellationToken).ConfigureAwait(false);
                pinned = VipProbe.Start(lan.Clients[1], target, options.Probe);
                await pinned.WaitForAnswerAsync(active.Name, options.SteadyTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            var phase = options.Random.NextDouble() * system.FaultPhaseWindow;
            await Task.Delay(options.Settle + phase, cancellationToken).ConfigureAwait(false);
            var fault = options.Fault switch
            {
                FailoverFault.HostFreeze => await active.FreezeAsync(cancellationToken).ConfigureAwait(false),
                FailoverFault.AgentKill => await system.KillAgentAsync(active, cancellationToken).ConfigureAwait(false),
                FailoverFault.Partition => await active.PartitionAsync(cancellationToken).ConfigureAwait(false),
                _ => throw new ArgumentOutOfRangeException(nameof(options), options.Fault, "Unknown fault."),
            };
            var t0 = fault.Started;

            ProbeAttempt? first;
            try
            {
                first = await probe.WaitForAsync(a => a.IsAnsweredBy(survivor.Name) && a.Completed >= t0, options.MaxFailover, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                first = null;
            }

            var end = (first?.Completed ?? LanTime.Now) + options.ObserveAfterFailover;
            var rest = end - LanTime.Now;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, cancellationToken).ConfigureAwait(false);
            }

            await probe.StopAsync().ConfigureAwait(false);
            if (pinned is not null)
            {
                await pinned.StopAsync().ConfigureAwait(false);
            }

            await sampler.StopAsync().ConfigureAwait(false);
            var duplicates = sampler.Duplicates(from: t0, to: end);
            var oldHost = pinned?.Attempts.Where(a => a.Started >= t0).OrderBy(a => a.Started).ToList() ?? [];
            var lastOldAnswer = oldHost.LastOrDefault(a => a.IsAnsweredBy(active.Name));
            var arp = probe.NeighborChanges.FirstOrDefault(n => n.Time >= t0 && !n.Removed && n.Node == survivor.Name);
            return new FailoverRunResult
            {
                System = system.Name,
                Fault = options.Fault,
                FaultWindow = fault,
                Phase = phase,
                Failover = first is null ? null : first.Completed - t0,
                ArpSwitch = arp is null ? null : arp.Time - t0,
                Observed = end - t0,
                Samples = sampler.Samples.Count(s => s.Started >= t0 && s.Started <= end),
                DuplicateSamples = duplicates.Count,
                DuplicateSpan = duplicates.Count == 0 ? null : duplicates[^1].Time - duplicates[0].Time,
                OldHostWatched = pinned is not null,
                OldHostLastAnswer = lastOldAnswer is null ? null : lastOldAnswer.Completed - t0,
                OldHostStillAnswering = oldHost.Count > 0 && oldHost.TakeLast(5).All(a => a.IsAnsweredBy(active.Name)),
                Attempts = [.. probe.Attempts.Where(a => a.Started >= t0).OrderBy(a => a.Started)],
            };
        }
        finally
        {
            if (probe is not null)
            {
                await probe.DisposeAsync().ConfigureAwait(false);
            }

            if (pinned is not null)
            {
                await pinned.DisposeAsync().ConfigureAwait(false);
            }

            if (sampler is not null)
            {
                await sampler.DisposeAsync().ConfigureAwait(false);
            }

            // Put back even when the run was cancelled, so the LAN stays usable.
            await system.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await active.ThawAsync(CancellationToken.None).ConfigureAwait(false);
            await active.HealAsync(CancellationToken.None).ConfigureAwait(false);
            await ResetAsync(lan, vip, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The harness's own floor: the VIP on host 0 (added by hand, client ARP on it), host 0 frozen, then at t0 the VIP
    /// added on host 1 by netlink with one gratuitous ARP; the time to the client's first connection answered by host 1.
    /// What no failover can beat on this LAN with these probes (their 10 ms period included).
    /// </summary>
    public static async Task<FailoverRunResult> MeasureFloorAsync(VirtualLan lan, IPAddress vip, ProbeOptions? probeOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lan);
        ArgumentNullException.ThrowIfNull(vip);
        var (active, survivor) = (lan.Hosts[0], lan.Hosts[1]);
        var bound = TimeSpan.FromSeconds(10);
        await ResetAsync(lan, vip, cancellationToken).ConfigureAwait(false);
        active.AddVip(vip);
        var probe = VipProbe.Start(lan.Client, new IPEndPoint(vip, lan.ServicePort), probeOptions);
        try
        {
            await probe.WaitForAnswerAsync(active.Name, bound, cancellationToken: cancellationToken).ConfigureAwait(false);
            await WaitForArpAsync(lan.Client, vip, active, bound, cancellationToken).ConfigureAwait(false);
            await active.FreezeAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);

            var t0 = LanTime.Now;
            survivor.AddVip(vip);
            var added = LanTime.Now;
            var first = await probe.WaitForAsync(a => a.IsAnsweredBy(survivor.Name) && a.Completed >= t0, bound, cancellationToken).ConfigureAwait(false);
            await probe.StopAsync().ConfigureAwait(false);
            var arp = probe.NeighborChanges.FirstOrDefault(n => n.Time >= t0 && !n.Removed && n.Node == survivor.Name);
            return new FailoverRunResult
            {
                System = "harness floor (VIP + GARP added by hand)",
                Fault = FailoverFault.HostFreeze,
                FaultWindow = new FaultWindow(t0, added),
                Phase = TimeSpan.Zero,
                Failover = first.Completed - t0,
                ArpSwitch = arp is null ? null : arp.Time - t0,
                Observed = first.Completed - t0,
                Samples = 0,
                DuplicateSamples = 0,
                DuplicateSpan = null,
                OldHostWatched = false,
                OldHostLastAnswer = null,
                OldHostStillAnswering = false,
                Attempts = [.. probe.Attempts.Where(a => a.Started >= t0).OrderBy(a => a.Started)],
            };
        }
        finally
        {
            await probe.DisposeAsync().ConfigureAwait(false);
            await active.ThawAsync(CancellationToken.None).ConfigureAwait(false);
            await ResetAsync(lan, vip, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task ResetAsync(VirtualLan lan, IPAddress vip, CancellationToken cancellationToken)
    {
        foreach (var host in lan.Hosts)
        {
            host.RemoveVip(vip);
            await host.EnsureBannerAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var client in lan.Clients)
        {
            await client.ForgetNeighborAsync(vip, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WaitForArpAsync(LanClient client, IPAddress vip, LanHost host, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = LanTime.Now + timeout;
        while (client.Neighbor(vip)?.LinkLayerAddress.Equals(host.MacAddress) != true)
        {
            if (LanTime.Now > deadline)
            {
                throw new TimeoutException($"{client.Name}'s ARP entry for {vip} did not point at {host.Name} within {timeout.TotalSeconds:0} s (it is {client.Neighbor(vip)?.ToString() ?? "absent"}).");
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }
}
