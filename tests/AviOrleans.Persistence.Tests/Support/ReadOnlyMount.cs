using System.Diagnostics;

namespace AviOrleans.Persistence.Tests.Support;

/// <summary>
/// A folder on a read-only file system, for real: root ignores permission bits, so a chmod'ed folder proves nothing
/// in CI (which runs as root); a read-only mount refuses root too. Needs root: where CI=true its absence fails the
/// test, elsewhere it skips it. Unmounted on dispose.
/// </summary>
public sealed class ReadOnlyMount : IAsyncDisposable
{
    private ReadOnlyMount(string path) => Path = path;

    public string Path { get; }

    /// <summary>An empty read-only file system (a tmpfs mounted read-only) at <paramref name="path"/>.</summary>
    public static async Task<ReadOnlyMount> EmptyAsync(string path)
    {
        RequireRoot();
        Directory.CreateDirectory(path);
        await RunAsync("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", path);
        return new ReadOnlyMount(path);
    }

    /// <summary>The existing folder <paramref name="path"/>, with its files, made read-only by a read-only bind mount over itself.</summary>
    public static async Task<ReadOnlyMount> RemountAsync(string path)
    {
        RequireRoot();
        await RunAsync("mount", "--bind", path, path);
        try
        {
            await RunAsync("mount", "-o", "remount,bind,ro", path);
        }
        catch
        {
            await RunAsync("umount", path);
            throw;
        }

        return new ReadOnlyMount(path);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync("umount", Path);
        }
        catch (InvalidOperationException)
        {
            // Still busy (a file the test left open): detach it now so no mount outlives the test; the test fails
            // on its own assertions, not here.
            await RunAsync("umount", "--lazy", Path);
        }
    }

    private static void RequireRoot()
    {
        if (Environment.UserName == "root")
        {
            return;
        }

        if (PostgreSqlTestServer.IsCi)
        {
            Assert.Fail("A read-only mount needs root, and CI runs the tests as root: this run is not a real CI run.");
        }

        Assert.Skip("A read-only mount needs root (CI runs as root); skipped because CI is not set.");
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }
    }
}
