using Microsoft.Extensions.Hosting;

namespace AviOrleans.Silo.Run;

/// <summary>
/// The host's lifetime when the command drives it: starts at once and leaves SIGINT and SIGTERM to the command, which
/// stops the host through its cancellation token (the default console lifetime would register its own handlers in
/// every host a test process starts).
/// </summary>
internal sealed class CommandLineLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
