using System.Diagnostics;
using System.Globalization;
using AviOrleans.Grains.DataPlane.Internal;
using AviOrleans.Netlink;
using AviOrleans.Netlink.Agent;

namespace AviOrleans.Grains.DataPlane;

/// <summary>
/// The silo's guard process: a small child that removes every marked address when the silo dies
/// (<see cref="VipGuard"/>, the parent-death signal) and when the silo's evidence deadline passes without a newer one
/// (the silo hung, was stopped, or is starved: its own fence thread cannot run). The silo writes each new deadline to
/// the guard's standard input as <c>deadline TICKS</c> (a <see cref="Stopwatch.GetTimestamp"/> value: both processes
/// read the same CLOCK_MONOTONIC). When the silo also names its lease store and lease (<c>lease-store JSON</c>,
/// <c>lease NAME</c>), the guard revokes that lease once it has removed a dead silo's addresses, so survivors take
/// them over as soon as the silo is declared dead instead of a fencing window after its last renewal.
/// </summary>
/// <remarks>
/// The silo's entry point hands its arguments over when they start with <see cref="Command"/>:
/// <code>
/// if (VipGuardProcess.IsGuardCommand(args)) return await VipGuardProcess.RunAsync(args);
/// </code>
/// Arguments: <c>vip-guard --parent PID --mark PROTOCOL [--netns NAME]</c>. The guard prints <c>armed</c> once it
/// would see the silo's death. Stop it on purpose with SIGKILL only. Exit codes: 0 after the silo died, 2 for bad
/// arguments, 1 when it could not start (no privilege, no namespace, not the silo's child).
/// </remarks>
public static class VipGuardProcess
{
    /// <summary>The first argument that makes the silo's executable run as the guard.</summary>
    public const string Command = "vip-guard";

    private static readonly TimeSpan InputDrain = TimeSpan.FromSeconds(2);

    /// <summary>True when <paramref name="args"/> ask for the guard.</summary>
    public static bool IsGuardCommand(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Count > 0 && args[0] == Command;
    }

    /// <summary>The guard's arguments for the silo with process id <paramref name="parent"/>.</summary>
    public static IReadOnlyList<string> Arguments(int parent, byte mark, string? networkNamespace) =>
        networkNamespace is null
            ? [Command, "--parent", parent.ToString(CultureInfo.InvariantCulture), "--mark", mark.ToString(CultureInfo.InvariantCulture)]
            : [Command, "--parent", parent.ToString(CultureInfo.InvariantCulture), "--mark", mark.ToString(CultureInfo.InvariantCulture), "--netns", networkNamespace];

    /// <summary>Runs the guard until the silo dies; returns the process exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextReader? input = null, TextWriter? output = null, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        input ??= Console.In;
        output ??= Console.Out;
        error ??= Console.Error;
        if (!TryParse(args, out var parent, out var mark, out var networkNamespace, out var problem))
        {
            await error.WriteLineAsync($"vip-guard: {problem}").ConfigureAwait(false);
            await error.WriteLineAsync("usage: vip-guard --parent PID --mark PROTOCOL [--netns NAME]").ConfigureAwait(false);
            return 2;
        }

        VipGuard guard;
        NetlinkRouteClient watchdogClient;
        var ns = networkNamespace is null ? NetworkNamespace.Current : NetworkNamespace.FromName(networkNamespace);
        try
        {
            guard = new VipGuard(parent, mark, ns);
            watchdogClient = NetlinkRouteClient.Open(ns);
        }
        catch (Exception ex) when (ex is NetlinkException or ArgumentException)
        {
            await error.WriteLineAsync($"vip-guard: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        using (guard)
        using (watchdogClient)
        {
            using var watchdog = new DeadlineWatchdog(watchdogClient, mark, error);
            await using var handOff = new GuardLeaseHandOff(error);
            var reader = new Thread(() => ReadInput(input, watchdog, handOff, error)) { IsBackground = true, Name = "vip-guard input" };
            reader.Start();
            var removed = await guard.RunAsync(armed: () =>
            {
                output.WriteLine("armed");
                output.Flush();
            }).ConfigureAwait(false);
            await error.WriteLineAsync($"vip-guard: silo {parent} is gone; removed {removed.Count} marked addresses").ConfigureAwait(false);

            // Every address is gone (a failed removal threw above) and the silo can add none again: hand its lease
            // over. The silo's end of the pipe closed with it, so the lines it wrote before it died are read by now
            // or within moments.
            reader.Join(InputDrain);
            await handOff.RevokeAsync().ConfigureAwait(false);
            return 0;
        }
    }

    /// <summary>The silo's lines, until it closes the pipe (or dies): <c>deadline TICKS</c>, and once at start
    /// <c>lease-store JSON</c> and <c>lease NAME</c> (<see cref="GuardLeaseHandOff"/>).</summary>
    private static void ReadInput(TextReader input, DeadlineWatchdog watchdog, GuardLeaseHandOff handOff, TextWriter error)
    {
        while (input.ReadLine() is { } line)
        {
            if (line.Split(' ', 2) is ["deadline", var ticks] && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var deadline))
            {
                watchdog.Set(deadline);
            }
            else if (!handOff.Accept(line))
            {
                error.WriteLine($"vip-guard: ignored an input line starting '{line.Split(' ', 2)[0]}'");
            }
        }
    }

    private static bool TryParse(IReadOnlyList<string> args, out int parent, out byte mark, out string? networkNamespace, out string problem)
    {
        parent = 0;
        mark = 0;
        networkNamespace = null;
        problem = string.Empty;
        if (!IsGuardCommand(args))
        {
            problem = $"the first argument must be '{Command}'";
            return false;
        }

        for (var i = 1; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count)
            {
                problem = $"{args[i]} needs a value";
                return false;
            }

            var value = args[i + 1];
            switch (args[i])
            {
                case "--parent" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 1:
                    parent = pid;
                    break;
                case "--mark" when byte.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var protocol) && protocol > 3:
                    mark = protocol;
                    break;
                case "--netns" when value.Length > 0 && !value.Contains('/', StringComparison.Ordinal):
                    networkNamespace = value;
                    break;
                default:
                    problem = $"bad argument {args[i]} {value}";
                    return false;
            }
        }

        if (parent == 0 || mark == 0)
        {
            problem = "--parent and --mark are required";
            return false;
        }

        return true;
    }

    /// <summary>Removes the marked addresses when the silo's deadline passes with no newer one.</summary>
    private sealed class DeadlineWatchdog : IDisposable
    {
        private readonly NetlinkRouteClient _client;
        private readonly byte _mark;
        private readonly TextWriter _error;
        private readonly Lock _lock = new();
        private readonly AutoResetEvent _changed = new(false);
        private readonly Thread _thread;
        private long _deadline = long.MaxValue;
        private bool _stopping;

        public DeadlineWatchdog(NetlinkRouteClient client, byte mark, TextWriter error)
        {
            _client = client;
            _mark = mark;
            _error = error;
            _thread = new Thread(Run) { IsBackground = true, Name = "vip-guard deadline" };
            _thread.Start();
        }

        public void Set(long deadline)
        {
            lock (_lock)
            {
                _deadline = deadline;
            }

            _changed.Set();
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _stopping = true;
            }

            _changed.Set();
            _thread.Join();
            _changed.Dispose();
        }

        private void Run()
        {
            while (true)
            {
                long deadline;
                lock (_lock)
                {
                    if (_stopping)
                    {
                        return;
                    }

                    deadline = _deadline;
                }

                var now = Stopwatch.GetTimestamp();
                if (now >= deadline)
                {
                    Withdraw(Stopwatch.GetElapsedTime(deadline, now));
                    lock (_lock)
                    {
                        // Acted for this deadline; wait for a newer one (the silo lifted its fence through the store).
                        if (_deadline == deadline)
                        {
                            _deadline = long.MaxValue;
                        }
                    }

                    continue;
                }

                var wait = deadline == long.MaxValue ? Timeout.Infinite : (int)Math.Min(int.MaxValue, Math.Ceiling(Stopwatch.GetElapsedTime(now, deadline).TotalMilliseconds));
                _changed.WaitOne(wait);
            }
        }

        private void Withdraw(TimeSpan late)
        {
            try
            {
                var results = MarkedAddresses.Withdraw(_client, _mark);
                if (results.Count > 0)
                {
                    _error.WriteLine($"vip-guard: the silo's evidence deadline passed {late.TotalMilliseconds:0.0} ms ago; removed {results.Count(r => r.Succeeded)} of {results.Count} marked addresses");
                }
            }
            catch (NetlinkException ex)
            {
                _error.WriteLine($"vip-guard: removing the marked addresses failed: {ex.Message}");
            }
        }
    }
}
