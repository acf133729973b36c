using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace AviOrleans.Testing;

/// <summary>
/// Launches an interop script of tests/interop (node + @grpc/grpc-js) against a running server.
/// The script gets one JSON object in INTEROP_CONFIG (see tests/interop/lib/harness.js) and exits
/// 0 after printing "PASS n checks". Where CI=true a missing node or node_modules is a failure,
/// never a skip.
/// </summary>
public static class NodeInterop
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>The folder that holds AviOrleans.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>tests/interop.</summary>
    public static string InteropDirectory => Path.Combine(RepositoryRoot, "tests", "interop");

    /// <summary>Runs <paramref name="script"/> and returns its output; fails the test on a non-zero exit.</summary>
    /// <param name="script">A file in tests/interop, e.g. "avi-v1.js".</param>
    /// <param name="target">The server address; host and port are used.</param>
    /// <param name="expect">What the script checks against (serialized to JSON).</param>
    /// <param name="protoRoots">Include paths for proto-loader.</param>
    /// <param name="protos">Proto files to load, relative to a root.</param>
    /// <param name="tlsCaPath">PEM file of the CA (or self-signed certificate) to trust, whose name must be "localhost"; null for h2c.</param>
    /// <param name="token">A bearer token sent on every call; null for none.</param>
    public static async Task<string> RunAsync(
        string script,
        Uri target,
        object expect,
        IEnumerable<string>? protoRoots = null,
        IEnumerable<string>? protos = null,
        string? tlsCaPath = null,
        string? token = null)
    {
        EnsureAvailable();
        var config = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["target"] = $"{target.Host}:{target.Port}",
            ["tls"] = tlsCaPath is null ? null : new Dictionary<string, string> { ["ca"] = tlsCaPath, ["serverName"] = "localhost" },
            ["token"] = token,
            ["protoRoots"] = protoRoots?.ToArray() ?? [],
            ["protos"] = protos?.ToArray() ?? [],
            ["expect"] = expect,
        });
        var start = new ProcessStartInfo("node", [Path.Combine(InteropDirectory, script)])
        {
            WorkingDirectory = InteropDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["INTEROP_CONFIG"] = config;
        start.Environment["INTEROP_TIMEOUT_MS"] = "90000";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(120), TestContext.Current.CancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = new StringBuilder().Append(await stdout).Append(await stderr).ToString();
        TestContext.Current.TestOutputHelper?.WriteLine(output);
        if (Environment.GetEnvironmentVariable("INTEROP_LOG_DIR") is { Length: > 0 } logDirectory)
        {
            // For a person debugging a run: each script's output in its own file.
            await File.WriteAllTextAsync(Path.Combine(logDirectory, $"{Path.GetFileNameWithoutExtension(script)}-{Guid.NewGuid():N}.log"), output, TestContext.Current.CancellationToken);
        }
        Assert.True(process.ExitCode == 0, $"{script} failed (exit {process.ExitCode}):\n{output}");
        Assert.Contains("PASS ", output, StringComparison.Ordinal);
        return output;
    }

    private static void EnsureAvailable()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        string? problem = null;
        if (!OnPath("node"))
        {
            problem = "node is not installed";
        }
        else if (!Directory.Exists(Path.Combine(InteropDirectory, "node_modules", "@grpc", "grpc-js")))
        {
            problem = "tests/interop/node_modules is missing (run npm install in tests/interop)";
        }

        if (problem is null)
        {
            return;
        }

        if (ci)
        {
            Assert.Fail($"Interop tests must run where CI=true, but {problem}.");
        }

        Assert.Skip($"Interop test not run: {problem}.");
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AviOrleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AviOrleans.sln not found above " + AppContext.BaseDirectory);
    }
}
