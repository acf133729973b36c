using System.ComponentModel;

namespace AviOrleans.Runtime.CodeGeneration;

/// <summary>Sends a grain call: the silo or client behind a generated proxy. For generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGrainCallInvoker
{
    /// <summary>Sends <paramref name="request"/> to the grain <paramref name="target"/> and returns its result.</summary>
    Task<TResult> InvokeAsync<TResult>(GrainId target, GrainRequest<TResult> request);
}
