using System.Globalization;

namespace AviOrleans.Testing.Lan.Failover;

/// <summary>
/// keepalived (Debian package, VRRP) as a system under test: the anchor of FAILOVER-ANCHORS, run in the same topology
/// and with the same configuration. One keepalived per host, in the foreground, VRRP subsystem only, logging to the
/// console (<c>keepalived -n -l -D -G -P -f CONF -p PID -r VRRPPID</c>); the active host is <c>state MASTER</c> with the
/// higher priority, the standby <c>state BACKUP</c>.
/// </summary>
public sealed class KeepalivedSystem : IFailoverSystem
{
    private const string Instance = "VI_1";

    private readonly KeepalivedOptions _options;
    private readonly Dictionary<LanHost, LanProcess> _processes = [];

    /// <summary>Creates the system with <paramref name="options"/> (see <see cref="KeepalivedOptions.Defaults"/>, <see cref="KeepalivedOptions.Fast"/>).</summary>
    public KeepalivedSystem(KeepalivedOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <inheritdoc/>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"keepalived VRRPv{_options.VrrpVersion}, advert_int {AdvertInt}");

    /// <inheritdoc/>
    public TimeSpan FaultPhaseWindow => _options.AdvertInterval;

    /// <inheritdoc/>
    public IReadOnlyList<string> RequiredTools => [LanPrerequisites.Keepalived];

    private string AdvertInt => _options.AdvertInterval.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The configuration file of one host: FAILOVER-ANCHORS §1, "Exact keepalived configuration".</summary>
    public string Configuration(LanHost host, bool active, System.Net.IPAddress vip)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(vip);
        return $$"""
            global_defs {
                router_id {{host.Name}}
                vrrp_version {{_options.VrrpVersion}}
                # defaults, spelled out: 5 GARPs at once on becoming MASTER, a second burst 5 s later
                vrrp_garp_master_repeat 5
                vrrp_garp_master_delay 5
            }
            vrrp_instance {{Instance}} {
                state {{(active ? "MASTER" : "BACKUP")}}
                interface {{LanNode.InterfaceName}}
                virtual_router_id {{_options.VirtualRouterId}}
                priority {{(active ? _options.ActivePriority : _options.StandbyPriority)}}
                advert_int {{AdvertInt}}
                # preemption: keepalived default (preempt on, preempt_delay 0)
                virtual_ipaddress {
                    {{vip}}/{{VirtualLan.PrefixLength}} dev {{LanNode.InterfaceName}}
                }
            }

            """;
    }

    /// <inheritdoc/>
    public async Task StartAsync(VirtualLan lan, FailoverDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lan);
        ArgumentNullException.ThrowIfNull(deployment);
        LanPrerequisites.ThrowIfMissing([.. RequiredTools]);
        if (_processes.Count > 0)
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        // The master waits one Master_Down_Interval in BACKUP (init) before it takes the VIP; allow that and start-up.
        var bound = TimeSpan.FromSeconds(15) + (2 * _options.MasterDownInterval);
        var active = Start(lan, deployment.Active, active: true, deployment);
        await active.WaitForOutputAsync(l => l.Text.Contains($"({Instance}) Entering MASTER STATE", StringComparison.Ordinal), bound, cancellationToken).ConfigureAwait(false);
        var standby = Start(lan, deployment.Standby, active: false, deployment);
        await standby.WaitForOutputAsync(l => l.Text.Contains($"({Instance}) Entering BACKUP STATE", StringComparison.Ordinal), bound, cancellationToken).ConfigureAwait(false);
        // FAILOVER-ANCHORS step 2: let the backup receive adverts for 3 × advert_int + 0.3 s.
        await Task.Delay((3 * _options.AdvertInterval) + TimeSpan.FromMilliseconds(300), cancellationToken).ConfigureAwait(false);
        if (active.HasExited || standby.HasExited)
        {
            throw new LanException($"keepalived exited while starting. Active:\n{active.Tail()}\nStandby:\n{standby.Tail()}");
        }
    }

    /// <inheritdoc/>
    public Task<FaultWindow> KillAgentAsync(LanHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (!_processes.TryGetValue(host, out var process))
        {
            throw new InvalidOperationException($"keepalived does not run on {host.Name}.");
        }

        // FAILOVER-ANCHORS "kill9": SIGSTOP then SIGKILL of the parent and its VRRP child, so that neither reacts (no
        // graceful priority-0 advert, no respawn). The VIP and the banner stay: a crashed agent leaves the address configured.
        return Task.FromResult(process.KillTree());
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var processes = _processes.Values.ToList();
        _processes.Clear();
        foreach (var process in processes)
        {
            await process.StopAsync().ConfigureAwait(false);
        }
    }

    private LanProcess Start(VirtualLan lan, LanHost host, bool active, FailoverDeployment deployment)
    {
        var folder = Path.Combine(lan.WorkDirectory, "keepalived");
        Directory.CreateDirectory(folder);
        var configuration = Path.Combine(folder, host.Name + ".conf");
        var pid = Path.Combine(folder, host.Name + ".pid");
        var vrrpPid = Path.Combine(folder, host.Name + "-vrrp.pid");
        File.WriteAllText(configuration, Configuration(host, active, deployment.Vip));
        // A pid file left by a killed keepalived could name a live process by now and make the next one refuse to start.
        File.Delete(pid);
        File.Delete(vrrpPid);
        var process = host.StartProcess("keepalived", ["-n", "-l", "-D", "-G", "-P", "-f", configuration, "-p", pid, "-r", vrrpPid]);
        _processes[host] = process;
        return process;
    }
}
