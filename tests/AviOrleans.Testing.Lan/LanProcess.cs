using System.Diagnostics;
using AviOrleans.Testing.Lan.Internal;
using Tmds.Linux;

namespace AviOrleans.Testing.Lan;

/// <summary>
/// A process the harness started inside a host's network namespace (<c>ip netns exec NS FILE ARGS</c>, which execs the
/// program, so <see cref="Pid"/> is the program's own PID). Its output is kept, line by line, with the time each line
/// arrived. The harness stops it by PID (SIGKILL of it and its descendants) when the LAN is disposed, never by name.
/// </summary>
public sealed class LanProcess
{
    private const int MaxLines = 20_000;

    private readonly Process _process;
    private readonly Lock _lock = new();
    private readonly List<LanOutputLine> _output = [];
    private readonly List<(Func<LanOutputLine, bool> Match, TaskCompletionSource<LanOutputLine> Completion)> _waiters = [];

    private LanProcess(LanHost host, string description, Process process)
    {
        Host = host;
        Description = description;
        _process = process;
        Pid = process.Id;
        Exited = process.WaitForExitAsync();
    }

    /// <summary>The host it runs on.</summary>
    public LanHost Host { get; }

    /// <summary>The command line, for messages.</summary>
    public string Description { get; }

    /// <summary>The process id.</summary>
    public int Pid { get; }

    /// <summary>Completes when the process has exited (and its output has been read).</summary>
    public Task Exited { get; }

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => Exited.IsCompleted;

    /// <summary>The exit code once exited (128 + signal for a killed process, as the shell reports it), else null.</summary>
    public int? ExitCode => HasExited ? _process.ExitCode : null;

    /// <summary>Every line written so far (the last 20,000).</summary>
    public IReadOnlyList<LanOutputLine> Output
    {
        get
        {
            lock (_lock)
            {
                return [.. _output];
            }
        }
    }

    /// <summary>Waits for a line matching <paramref name="match"/> (lines already written count); throws when the process
    /// exits first or nothing matches within <paramref name="timeout"/>, with the output so far in the message.</summary>
    public async Task<LanOutputLine> WaitForOutputAsync(Func<LanOutputLine, bool> match, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(match);
        var completion = new TaskCompletionSource<LanOutputLine>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            var seen = _output.Find(l => match(l));
            if (seen is not null)
            {
                return seen;
            }

            _waiters.Add((match, completion));
        }

        try
        {
            var finished = await Task.WhenAny(completion.Task, Exited).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            if (finished == completion.Task)
            {
                return await completion.Task.ConfigureAwait(false);
            }

            // The exit may race the last lines: look once more before giving up.
            lock (_lock)
            {
                if (_output.Find(l => match(l)) is { } late)
                {
                    return late;
                }
            }

            throw new LanException($"{Description} on {Host.Name} exited ({_process.ExitCode}) before the expected output. Output:\n{Tail()}");
        }
        catch (TimeoutException ex)
        {
            throw new LanException($"{Description} on {Host.Name} did not write the expected output within {timeout.TotalSeconds:0.#} s. Output:\n{Tail()}", ex);
        }
        finally
        {
            lock (_lock)
            {
                _waiters.RemoveAll(w => w.Completion == completion);
            }
        }
    }

    /// <summary>This process and its descendants (e.g. keepalived's VRRP child), parents first.</summary>
    public IReadOnlyList<int> ProcessTree() => HasExited ? [] : LinuxProcesses.Tree(Pid);

    /// <summary>SIGKILL by PID: the fault "a process crashes". Its children are left running, as with a real crash.</summary>
    public FaultWindow Kill()
    {
        var started = LanTime.Now;
        LinuxProcesses.Signal(Pid, LibC.SIGKILL);
        return new FaultWindow(started, LanTime.Now);
    }

    /// <summary>SIGKILL of this process's descendant <paramref name="depth"/> generations down (1: its child, 2: a
    /// grandchild; each the first by PID): the fault "the program crashes" where it runs under a wrapper, e.g. as the
    /// second process of its own PID namespace under <c>unshare --fork</c>. Its children are left running.</summary>
    public FaultWindow KillDescendant(int depth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        var pid = Pid;
        for (var generation = 0; generation < depth; generation++)
        {
            pid = LinuxProcesses.Children(pid).DefaultIfEmpty(0).Min();
            if (pid == 0)
            {
                throw new LanException($"{Description} (PID {Pid}) on {Host.Name} has no descendant {depth} generation(s) down.");
            }
        }

        var started = LanTime.Now;
        LinuxProcesses.Signal(pid, LibC.SIGKILL);
        return new FaultWindow(started, LanTime.Now);
    }

    /// <summary>SIGTERM by PID: a graceful stop request (systemd's stop, the kubelet's), which the process may handle.</summary>
    public FaultWindow Terminate()
    {
        var started = LanTime.Now;
        LinuxProcesses.Signal(Pid, LibC.SIGTERM);
        return new FaultWindow(started, LanTime.Now);
    }

    /// <summary>Stops the process and its descendants with SIGSTOP first (so that none can react to the others' death: no
    /// graceful shutdown of a child, no respawn by a parent), then SIGKILLs them all; the method FAILOVER-ANCHORS uses for
    /// keepalived's parent and VRRP child. The tree is listed before <see cref="FaultWindow.Started"/>.</summary>
    public FaultWindow KillTree()
    {
        var tree = ProcessTree();
        var started = LanTime.Now;
        foreach (var pid in tree)
        {
            LinuxProcesses.Signal(pid, LibC.SIGSTOP);
        }

        foreach (var pid in tree)
        {
            LinuxProcesses.Signal(pid, LibC.SIGKILL);
        }

        return new FaultWindow(started, LanTime.Now);
    }

    /// <summary>Kills the tree (if still running) and waits for the exit, at most 10 seconds.</summary>
    public async Task StopAsync()
    {
        if (!HasExited)
        {
            KillTree();
        }

        try
        {
            await Exited.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new LanException($"{Description} (PID {Pid}) on {Host.Name} did not exit within 10 s of SIGKILL.", ex);
        }
    }

    /// <summary>The last lines of output, for messages.</summary>
    public string Tail(int lines = 40)
    {
        lock (_lock)
        {
            return string.Join('\n', _output.Skip(Math.Max(0, _output.Count - lines)).Select(l => l.Text));
        }
    }

    /// <summary>Starts <paramref name="file"/> inside the host's namespace.</summary>
    internal static LanProcess Start(LanHost host, string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["netns", "exec", host.NamespaceName, file, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        LanProcess? started = null;
        process.OutputDataReceived += (_, e) => started?.OnLine(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => started?.OnLine(e.Data, isError: true);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new LanException($"`ip netns exec` could not be started ({ex.Message}); iproute2 is needed.", ex);
        }

        started = new LanProcess(host, Command.Describe(file, arguments), process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    private void OnLine(string? text, bool isError)
    {
        if (text is null)
        {
            return;
        }

        var line = new LanOutputLine(LanTime.Now, text, isError);
        lock (_lock)
        {
            if (_output.Count == MaxLines)
            {
                _output.RemoveAt(0);
            }

            _output.Add(line);
            foreach (var (match, completion) in _waiters)
            {
                if (match(line))
                {
                    completion.TrySetResult(line);
                }
            }
        }
    }
}
