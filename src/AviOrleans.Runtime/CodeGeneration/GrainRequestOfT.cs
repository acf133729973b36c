using System.ComponentModel;
using System.Text.Json;
using AviOrleans.Runtime.Serialization;

namespace AviOrleans.Runtime.CodeGeneration;

/// <summary>A grain call whose result is <typeparamref name="TResult"/>. For generated code.</summary>
/// <typeparam name="TResult">The result type (<see cref="GrainVoid"/> for a plain <see cref="Task"/>).</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
#pragma warning disable CA1716 // Kept short: generated code names it on every method.
public abstract class GrainRequest<TResult> : GrainRequest
#pragma warning restore CA1716
{
    private TaskCompletionSource<TResult>? _promise;
    private TResult? _result;

    /// <summary>Calls the method on the grain.</summary>
    protected abstract Task<TResult> InvokeCoreAsync(object grain);

    /// <summary>Awaits a plain task and gives <see cref="GrainVoid"/>, for methods that return <see cref="Task"/>.</summary>
    protected static async Task<GrainVoid> ToVoidAsync(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        await task.ConfigureAwait(false);
        return default;
    }

    /// <summary>Awaits a value task and gives <see cref="GrainVoid"/>, for methods that return <see cref="ValueTask"/>.</summary>
    protected static async Task<GrainVoid> ToVoidAsync(ValueTask task)
    {
        await task.ConfigureAwait(false);
        return default;
    }

    internal Task<TResult> CreatePromise()
    {
        // Continuations run asynchronously: the activation that completes the call must not run the caller's code.
        _promise = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        return _promise.Task;
    }

    internal override Task InvokeAsync(object grain)
    {
        var task = InvokeCoreAsync(grain);
        if (task.IsCompletedSuccessfully)
        {
            _result = task.Result;
            return Task.CompletedTask;
        }

        return AwaitResultAsync(task);
    }

    private async Task AwaitResultAsync(Task<TResult> task) => _result = await task.ConfigureAwait(false);

    internal override void WriteResult(Utf8JsonWriter writer, GrainSerializer serializer) => serializer.Write(writer, _result!);

    internal override void ReadResult(ref Utf8JsonReader reader, GrainSerializer serializer) => _result = serializer.Read<TResult>(ref reader);

    private protected override void SetPromiseResult() => _promise?.TrySetResult(_result!);

    private protected override void SetPromiseException(Exception exception) => _promise?.TrySetException(exception);
}
