using System.ComponentModel;

namespace AviOrleans.Runtime.CodeGeneration;

/// <summary>Base class of generated grain proxies. For generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class GrainReference
{
    /// <summary>Creates the reference.</summary>
    protected GrainReference(GrainId grainId, IGrainCallInvoker invoker)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        GrainId = grainId;
        Invoker = invoker;
    }

    /// <summary>The grain this reference points at.</summary>
    public GrainId GrainId { get; }

    /// <summary>Where calls go.</summary>
    protected IGrainCallInvoker Invoker { get; }

    /// <inheritdoc/>
    public override string ToString() => GrainId.ToString();
}
