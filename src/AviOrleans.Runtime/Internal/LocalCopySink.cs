using System.Buffers;
using System.Text.Json;
using AviOrleans.Runtime.CodeGeneration;

namespace AviOrleans.Runtime.Internal;

/// <summary>
/// Where the copy of a local call delivers its outcome: the result is copied back through the serializer into
/// the caller's request, so caller and grain never share a mutable object (Orleans copies local calls too).
/// </summary>
internal sealed class LocalCopySink(GrainRequest original, SiloRuntime silo) : IResponseSink
{
    public void OnCompleted(GrainRequest request)
    {
        try
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                request.WriteResult(writer, silo.Serializer);
            }

            var reader = new Utf8JsonReader(buffer.WrittenSpan);
            original.ReadResult(ref reader, silo.Serializer);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
        {
            OnFailed(request, ex);
            return;
        }

        silo.Calls.Remove(original);
        original.Complete();
    }

    public void OnFailed(GrainRequest request, Exception exception)
    {
        silo.Calls.Remove(original);
        original.Fail(exception);
    }
}
