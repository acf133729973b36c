using System.Diagnostics;
using System.Globalization;
using System.Net;

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
    private readonly List<string> _errors = [];

    private SiloProcess(string name, int siloPort, Process process)
    {
        Name = name;
        SiloPort = siloPort;
        _process = process;
    }

    public string Name { get; }

    public int SiloPort { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts silo <paramref name="name"/>; with <paramref name="gateway"/>, its avi.v1 gateway listens there.</summary>
    /// <param name="logLevel">What the silo writes to stderr (kept in memory, see <see cref="SaveErrors"/>).</param>
    public static SiloProcess Start(string name, int siloPort, string clusterId, string membership, BenchStore store, IPEndPoint? gateway = null, string logLevel = "none")
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
            .. gateway is null ? ["--no-gateway"] : new[] { "--listen", gateway.ToString() },
            "--log-level", logLevel, .. store.Arguments(clusterId),
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
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (silo._sync)
                {
                    silo._errors.Add(line);
                }
            }
        };
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

    /// <summary>Writes what the silo wrote to stderr into <paramref name="path"/>.</summary>
    public void SaveErrors(string path)
    {
        lock (_sync)
        {
            File.WriteAllLines(path, _errors);
        }
    }

    /// <summary>Whether the process still runs (or how it ended) and its last lines on stderr: for a failed wait.</summary>
    public string Describe()
    {
        lock (_sync)
        {
            var state = _process.HasExited ? $"exited with {_process.ExitCode.ToString(CultureInfo.InvariantCulture)}" : "running";
            return $"{Name}: {state}; stderr: {string.Join(" | ", _errors.TakeLast(5))}";
        }
    }

    /// <summary>The process's resident memory (VmRSS), in MiB.</summary>
    public long ResidentMiB()
    {
        var line = File.ReadLines($"/proc/{_process.Id.ToString(CultureInfo.InvariantCulture)}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

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
