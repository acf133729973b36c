using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;

namespace AviOrleans.Grpc;

/// <summary>
/// Builds <see cref="RpcException"/>s that carry the rich error model: a <c>google.rpc.Status</c>
/// in <c>grpc-status-details-bin</c>, readable by any gRPC client.
/// </summary>
public static class RpcErrors
{
    /// <summary>
    /// INVALID_ARGUMENT naming each bad field: a <c>google.rpc.BadRequest</c> with one field
    /// violation per pair. The readable <c>grpc-message</c> is <paramref name="message"/>, or the
    /// violations joined ("ha_mode: must be ...; max_se: must be ...") when it is null.
    /// </summary>
    public static RpcException BadRequest(string? message, params IEnumerable<(string Field, string Description)> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var badRequest = new BadRequest();
        foreach (var (field, description) in violations)
        {
            ArgumentException.ThrowIfNullOrEmpty(field);
            badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description ?? string.Empty });
        }

        if (badRequest.FieldViolations.Count == 0)
        {
            throw new ArgumentException("A bad request names at least one field.", nameof(violations));
        }

        message ??= string.Join("; ", badRequest.FieldViolations.Select(v => $"{v.Field}: {v.Description}"));
        return FromRpcStatus(new Google.Rpc.Status
        {
            Code = (int)StatusCode.InvalidArgument,
            Message = message,
            Details = { Any.Pack(badRequest) },
        });
    }

    /// <summary>An exception whose status and details are <paramref name="status"/> (any detail messages).</summary>
    public static RpcException FromRpcStatus(Google.Rpc.Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var trailers = new Metadata { { RpcException.StatusDetailsTrailer, status.ToByteArray() } };
        return new RpcException(new Status((StatusCode)status.Code, status.Message), trailers);
    }

    /// <summary>The field violations of <paramref name="exception"/>'s details, empty when there are none.</summary>
    public static IReadOnlyList<(string Field, string Description)> GetFieldViolations(this RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = exception.GetRpcStatus();
        if (status is null)
        {
            return [];
        }

        var result = new List<(string, string)>();
        foreach (var detail in status.Details)
        {
            if (detail.TryUnpack<BadRequest>(out var badRequest))
            {
                result.AddRange(badRequest.FieldViolations.Select(v => (v.Field, v.Description)));
            }
        }

        return result;
    }
}
