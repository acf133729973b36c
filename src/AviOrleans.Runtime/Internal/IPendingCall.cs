using System.Buffers;
using AviOrleans.Runtime.Serialization;

namespace AviOrleans.Runtime.Internal;

/// <summary>A call that waits for its outcome in the <see cref="CallRegistry"/>.</summary>
internal interface IPendingCall
{
    long CallId { get; set; }

    /// <summary>When the caller stops waiting, in <see cref="TimeProvider.GetTimestamp"/> units.</summary>
    long Deadline { get; set; }

    /// <summary>The connection the call went out on, or null while it runs locally.</summary>
    object? Via { get; set; }

    void OnResponse(ResponseStatus status, ReadOnlySequence<byte> body, GrainSerializer serializer);

    void OnFailure(Exception exception);

    string Describe();
}
