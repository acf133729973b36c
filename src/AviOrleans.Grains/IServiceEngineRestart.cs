namespace AviOrleans.Grains;

/// <summary>
/// How an SE's host restarts its own silo for a rolling upgrade. The silo host registers it when a supervisor
/// (systemd, the kubelet) starts the silo again after it exits: <c>aviorleans-silo</c> stops gracefully and exits
/// with code 3. Without one, an SE grain refuses to restart, and the upgrade says so.
/// </summary>
public interface IServiceEngineRestart
{
    /// <summary>Starts a graceful stop that ends in a restart on <paramref name="targetVersion"/>, after the calling
    /// grain call has answered; false when a stop is already under way.</summary>
    bool TryRestart(string targetVersion);
}
