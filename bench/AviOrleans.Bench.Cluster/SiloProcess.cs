using System.Diagnostics;
using System.Globalization;

namespace AviOrleans.Bench.Cluster;

/// <summary>
/// A real aviorleans-silo process of a 3-silo cluster on loopback, on the bench's store. Its membership-view lines
/// (<c>membership TIMESTAMP NAME ADDRESS STATUS</c>) carry the survivor's own clock at the moment its view changed.
/// </summary>
internal sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly Lock _sync = new();
    private readonly List<string> _lines = [];

    private SiloProcess(string name, int siloPort, Process process)
    {
        Name = name;
        SiloPort = siloPort;
        _process = process;
    }

    public string Name { get; }

    public int SiloPort { get; }

    public bool HasExited => _process.HasExited;

    public static SiloProcess Start(string name, int siloPort, string clusterId, string membership, BenchStore store)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "aviorleans-silo"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            "--silo-name", name, "--cluster-id", clusterId, "--membership", membership,
            "--silo-port", siloPort.ToString(CultureInfo.InvariantCulture), "--gateway-port", InProcessSilos.FreePort().ToString(CultureInfo.InvariantCulture),
            "--no-gateway", "--log-level", "none", .. store.Arguments(clusterId),
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start };
        var silo = new SiloProcess(name, siloPort, process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (silo._sync)
                {
                    silo._lines.Add(line);
                }
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>When this silo's view first showed <paramref name="name"/> with <paramref name="status"/> after <paramref name="after"/>, by its own clock.</summary>
    public DateTimeOffset? Saw(string name, string status, DateTimeOffset after)
    {
        lock (_sync)
        {
            foreach (var line in _lines)
            {
                var parts = line.Split(' ');
                if (parts.Length == 5 && parts[0] == "membership" && parts[2] == name && parts[4] == status
                    && DateTimeOffset.Parse(parts[1], CultureInfo.InvariantCulture) is var at && at >= after)
                {
                    return at;
                }
            }
        }

        return null;
    }

    public int Count(string status)
    {
        lock (_sync)
        {
            return _lines.Count(l => l.StartsWith("membership ", StringComparison.Ordinal) && l.EndsWith(" " + status, StringComparison.Ordinal));
        }
    }

    public void Kill() => _process.Kill();

    /// <summary>
    /// SIGSTOP with bash's builtin kill (this project allows no unsafe code for a kill(2) import): the process freezes,
    /// its sockets stay open and nothing answers. Starting bash adds a few milliseconds to the measured time.
    /// </summary>
    public void Stop()
    {
        using var kill = Process.Start("bash", ["-c", "kill -STOP " + _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException("kill -STOP failed");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
