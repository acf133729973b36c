using System.Diagnostics;
using System.Globalization;

namespace AviOrleans.Silo.Tests;

/// <summary>
/// A real <c>aviorleans-silo</c> process (the apphost copied next to the tests), for what only a real process shows:
/// a crash (SIGKILL: no goodbye, sockets reset by the kernel), a freeze (SIGSTOP: nothing answers, nothing resets),
/// and an exit code. Standard output and error are collected line by line.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _sync = new();
    private readonly List<string> _lines = [];
    private readonly List<string> _errors = [];
    private readonly SemaphoreSlim _changed = new(0);

    private SiloProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_sync)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_sync)
            {
                return string.Join('\n', _errors);
            }
        }
    }

    public static SiloProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "aviorleans-silo"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var silo = new SiloProcess(process);
        process.OutputDataReceived += (_, e) => silo.Add(silo._lines, e.Data);
        process.ErrorDataReceived += (_, e) => silo.Add(silo._errors, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>The first output line matching <paramref name="match"/>, waiting for it within the bound.</summary>
    public async Task<string> LineAsync(Func<string, bool> match, TimeSpan? bound = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(bound ?? InProcessSilo.Bound);
        while (true)
        {
            lock (_sync)
            {
                if (_lines.FirstOrDefault(match) is { } line)
                {
                    return line;
                }
            }

            if (_process.HasExited && _changed.CurrentCount == 0)
            {
                // Let the last output lines arrive before concluding that the line never came.
                _process.WaitForExit();
                lock (_sync)
                {
                    if (_lines.FirstOrDefault(match) is { } last)
                    {
                        return last;
                    }
                }

                Assert.Fail($"silo process {Id} exited ({_process.ExitCode}) before the line came:\n{Output}\n{Error}");
            }

            try
            {
                await _changed.WaitAsync(TimeSpan.FromMilliseconds(200), timeout.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"silo process {Id}: no such line within {bound ?? InProcessSilo.Bound}:\n{Output}\n{Error}");
            }
        }
    }

    /// <summary>SIGKILL.</summary>
    public void Kill() => _process.Kill();

    /// <summary>Sends <paramref name="signal"/> (STOP, CONT, TERM) with bash's builtin kill (procps may be missing).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("bash", ["-c", $"kill -{signal} {Id.ToString(CultureInfo.InvariantCulture)}"]);
        await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>The exit code, once the process has ended (and its output has been read to the end).</summary>
    public async Task<int> ExitCodeAsync()
    {
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(InProcessSilo.Bound, TestContext.Current.CancellationToken);

        // The exited process's last lines may still be on their way to the output handlers; the untimed wait
        // returns once both streams have reached their end.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
        _changed.Dispose();
    }

    private void Add(List<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_sync)
        {
            lines.Add(line);
        }

        _changed.Release();
    }
}
