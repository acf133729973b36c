using AviOrleans.Runtime.Membership;

namespace AviOrleans.Runtime;

/// <summary>
/// What the runtime gives one activation: its identity, its silo, and the means to create persistent state and
/// timers. A grain factory receives it; <see cref="Grain"/> exposes it to the grain.
/// </summary>
public interface IGrainActivationContext
{
    /// <summary>The grain's identity.</summary>
    GrainId GrainId { get; }

    /// <summary>A factory for references to other grains; calls through it run from this silo.</summary>
    IGrainFactory GrainFactory { get; }

    /// <summary>The silo hosting the activation.</summary>
    SiloAddress SiloAddress { get; }

    /// <summary>The name of the silo hosting the activation.</summary>
    string SiloName { get; }

    /// <summary>This silo's view of the cluster membership.</summary>
    IClusterMembershipView Membership { get; }

    /// <summary>The silo's clock.</summary>
    TimeProvider TimeProvider { get; }

    /// <summary>Services the host handed to the silo (<see cref="Hosting.SiloOptions.Services"/>), or null.</summary>
    IServiceProvider? Services { get; }

    /// <summary>
    /// Creates the activation's persistent state named <paramref name="stateName"/>. Call it while the grain is
    /// constructed: the state is read before <see cref="Grain.OnActivateAsync"/>.
    /// </summary>
    IPersistentState<TState> GetPersistentState<TState>(string stateName)
        where TState : new();

    /// <summary>Registers a timer whose callback runs as a turn of this activation.</summary>
    IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options);

    /// <summary>
    /// Runs <paramref name="work"/> as a turn of this activation (after the calls queued before it), e.g. to act on a
    /// membership snapshot an observer received on a thread-pool thread. Fails if the activation is gone.
    /// </summary>
    Task RunAsTurnAsync(Func<Task> work);

    /// <summary>Deactivates the activation once the current call has finished.</summary>
    void DeactivateOnIdle();
}
