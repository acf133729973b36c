using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AviOrleans.Bench.DataPlane;

/// <summary>A bench silo (<see cref="BenchSilo"/>) started inside its host namespace; its events, its commands.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<SiloEvent> _events = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly StreamWriter _log;
    private int _disposed;

    private SiloProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    public string Name { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => Volatile.Read(ref _disposed) != 0 || _process.HasExited;

    public static SiloProcess Start(string networkNamespace, string name, string address, string cluster, string store, bool declare, string logFolder)
    {
        var dotnet = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // ip netns exec execs the program: the process started is the silo itself.
        foreach (var argument in new[] { "netns", "exec", networkNamespace, dotnet, typeof(SiloProcess).Assembly.Location, "silo",
                     "--name", name, "--address", address, "--cluster", cluster, "--store", store, "--declare", declare ? "true" : "false" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var log = new StreamWriter(Path.Combine(logFolder, $"{name}-{process.Id.ToString(CultureInfo.InvariantCulture)}.log")) { AutoFlush = true };
        var silo = new SiloProcess(name, process, log);
        process.OutputDataReceived += (_, line) => silo.OnLine(line.Data);
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                lock (log)
                {
                    log.WriteLine(text);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    public static double Now => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalMilliseconds;

    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The first event at or after <paramref name="after"/> that <paramref name="match"/> accepts, or null.</summary>
    public async Task<SiloEvent?> WaitForAsync(Func<SiloEvent, bool> match, double after, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            lock (_events)
            {
                var found = _events.FirstOrDefault(e => e.At >= after && match(e));
                if (found is not null)
                {
                    return found;
                }
            }

            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero || _process.HasExited)
            {
                return null;
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    public IReadOnlyList<SiloEvent> Events(double from, double to)
    {
        lock (_events)
        {
            return [.. _events.Where(e => e.At >= from && e.At <= to)];
        }
    }

    public void Freeze()
    {
        if (LibC.kill(_process.Id, LibC.SIGSTOP) != 0)
        {
            throw new InvalidOperationException($"SIGSTOP of {Name} failed.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null || !line.StartsWith("EVT ", StringComparison.Ordinal))
        {
            return;
        }

        var parts = line.Split(' ', 4);
        var e = new SiloEvent(double.Parse(parts[1], CultureInfo.InvariantCulture), parts[2], parts.Length > 3 ? parts[3] : string.Empty);
        lock (_events)
        {
            _events.Add(e);
        }

        _arrived.Release();
    }
}

/// <summary>One <c>EVT</c> line of a bench silo.</summary>
internal sealed record SiloEvent(double At, string Kind, string Detail);
