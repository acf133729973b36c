using AviOrleans.Runtime.Internal;

namespace AviOrleans.Runtime;

/// <summary>
/// Base class of grain implementations. The runtime constructs a grain through the factory registered with
/// the silo; the grain's calls run one at a time unless the class is <see cref="ReentrantAttribute"/>.
/// Do not use <c>ConfigureAwait(false)</c> in grain code: continuations must come back to the activation.
/// </summary>
public abstract class Grain
{
    /// <summary>Binds the grain to the activation being created; only the runtime constructs grains.</summary>
    protected Grain()
    {
        Context = ActivationContextScope.Current
            ?? throw new InvalidOperationException("Grains are created by the runtime (through the factory registered with the silo), not with 'new' elsewhere.");
    }

    /// <summary>The activation's context.</summary>
    protected IGrainActivationContext Context { get; }

    /// <summary>The grain's identity.</summary>
    public GrainId GrainId => Context.GrainId;

    /// <summary>The grain's key.</summary>
    protected string GrainKey => Context.GrainId.Key;

    /// <summary>A factory for references to other grains.</summary>
    protected IGrainFactory GrainFactory => Context.GrainFactory;

    /// <summary>Called after persistent state was read and before the first call runs.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Called when the activation is deactivated gracefully. Best effort: a crash skips it, so correctness must
    /// not depend on it.
    /// </summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates the activation once the current call has finished.</summary>
    protected void DeactivateOnIdle() => Context.DeactivateOnIdle();

    /// <summary>Registers a timer whose callback runs as a turn of this activation.</summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options) =>
        Context.RegisterGrainTimer(callback, options);
}
