using AviOrleans.Runtime.CodeGeneration;

namespace AviOrleans.Runtime.Internal;

/// <summary>Where the outcome of a call that came from another process goes (a connection, back to the caller).</summary>
internal interface IResponseSink
{
    void OnCompleted(GrainRequest request);

    void OnFailed(GrainRequest request, Exception exception);
}
