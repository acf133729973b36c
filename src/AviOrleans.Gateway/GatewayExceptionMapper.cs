using AviOrleans.Gateway.Internal;
using AviOrleans.Grains;
using AviOrleans.Persistence;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Orleans.Runtime;
using Orleans.Serialization;
using Status = Google.Rpc.Status;

namespace AviOrleans.Gateway;

/// <summary>
/// The one place where the gateway turns exceptions into gRPC status, with the rich error model in
/// <c>grpc-status-details-bin</c>: INVALID_ARGUMENT with google.rpc.BadRequest (one field violation
/// per problem, the field an API path), NOT_FOUND with google.rpc.ResourceInfo, ALREADY_EXISTS with
/// BadRequest naming the clashing field, FAILED_PRECONDITION with google.rpc.PreconditionFailure,
/// ABORTED for a concurrent change, UNAVAILABLE when a change could not be saved, the store could not be read or a
/// grain's silo could not be reached (a silo that died: its grains come back on the survivors), DEADLINE_EXCEEDED when a
/// grain call timed out inside the cluster (its outcome is unknown), CANCELLED for a call the client cancelled. The
/// rich status is built with Grpc.StatusProto (<c>Google.Rpc.Status.ToRpcException()</c>). Anything
/// else is left to Grpc.AspNetCore: UNKNOWN "Exception was thrown by handler.", no internal detail
/// (<c>EnableDetailedErrors</c> is off). Applied to every call by the gateway's interceptor.
/// </summary>
public static class GatewayExceptionMapper
{
    /// <summary>The status for <paramref name="exception"/> thrown by <paramref name="method"/> (<c>/avi.v1.Service/Method</c>), or null to leave it to Grpc.AspNetCore.</summary>
    /// <param name="exception">What the handler threw.</param>
    /// <param name="method">The method's path, which names the request field violations are relative to.</param>
    /// <param name="callCancelled">Whether the call's own token has fired (client cancel, deadline, gateway stopping).</param>
    public static RpcException? Map(Exception exception, string method, bool callCancelled)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(method);
        var prefix = MethodFields.PrefixOf(method);
        return exception switch
        {
            RpcException => null,
            OperationCanceledException when callCancelled => Plain(Code.Cancelled, "The call was cancelled."),
            InvalidRequestException e => BadRequest(Code.InvalidArgument, e.Violations),
            HaValidationException e => BadRequest(Code.InvalidArgument, [.. e.Violations.Select(v => ToField(prefix, v))]),
            HaObjectExistsException e => BadRequest(Code.AlreadyExists, [new FieldViolation(Join(prefix, e.Field), e.Message)]),
            HaObjectNotFoundException e => NotFound(e),
            HaOperationRejectedException e => FailedPrecondition(e, prefix),
            HaConflictException e => Plain(Code.Aborted, e.Message),
            HaStorageException e => Plain(Code.Unavailable, e.Message),

            // A grain whose state could not be read or written (its activation failed): the store is down or unreachable.
            _ when StoreUnavailable(exception) is { } cause => Plain(Code.Unavailable, $"The cluster's store is unavailable; this call was not carried out, call again once it is back. {cause}"),

            // A grain call that could not reach its silo (declared dead, or not answering while the cluster decides):
            // the grains are reactivated on the survivors; calling again works.
            OrleansMessageRejectionException => Plain(Code.Unavailable, "The cluster is moving grains away from a silo that stopped answering; call again."),

            // A grain call that timed out inside the cluster may still have been carried out (a write that answers late):
            // DEADLINE_EXCEEDED, not UNAVAILABLE, so that no client retries a switchover blindly and switches back.
            TimeoutException => Plain(Code.DeadlineExceeded, "The cluster did not answer within its call timeout; the call may or may not have been carried out: read the object before calling again."),
            _ => null,
        };
    }

    // The store's message when the call failed because the store could not be reached: the exception itself (the grain
    // ran in this process), or Orleans' stand-in for it when it came from another silo and its type is not loadable here.
    private static string? StoreUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case StoreUnavailableException store:
                    return store.Message;
                case UnavailableExceptionFallbackException fallback when fallback.ExceptionType?.EndsWith("." + nameof(StoreUnavailableException), StringComparison.Ordinal) == true:
                    return fallback.Message;
                default:
                    break;
            }
        }

        return null;
    }

    private static FieldViolation ToField(string prefix, HaViolation v) =>
        new(v.OtherObject is { Length: > 0 } other ? Join(other, v.Field) : Join(prefix, v.Field), v.Message);

    private static string Join(string prefix, string field) =>
        prefix.Length == 0 ? (field.Length == 0 ? "request" : field)
        : field.Length == 0 ? prefix
        : field.StartsWith('[') ? prefix + field
        : prefix + "." + field;

    private static RpcException BadRequest(Code code, IReadOnlyList<FieldViolation> violations)
    {
        var details = new BadRequest();
        details.FieldViolations.AddRange(violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        var message = string.Join("; ", violations.Select(v => v.Field + ": " + v.Description));
        return new Status { Code = (int)code, Message = message, Details = { Any.Pack(details) } }.ToRpcException();
    }

    private static RpcException NotFound(HaObjectNotFoundException e)
    {
        var info = new ResourceInfo { ResourceType = e.Kind, ResourceName = e.Name, Description = e.Message };
        return new Status { Code = (int)Code.NotFound, Message = e.Message, Details = { Any.Pack(info) } }.ToRpcException();
    }

    private static RpcException FailedPrecondition(HaOperationRejectedException e, string prefix)
    {
        var failure = new PreconditionFailure();
        if (e.Violations.Count == 0)
        {
            failure.Violations.Add(new PreconditionFailure.Types.Violation { Type = "NOT_ALLOWED", Subject = prefix, Description = e.Message });
        }

        foreach (var v in e.Violations)
        {
            failure.Violations.Add(new PreconditionFailure.Types.Violation { Type = "NOT_ALLOWED", Subject = ToField(prefix, v).Field, Description = v.Message });
        }

        return new Status { Code = (int)Code.FailedPrecondition, Message = e.Message, Details = { Any.Pack(failure) } }.ToRpcException();
    }

    private static RpcException Plain(Code code, string message) =>
        new Status { Code = (int)code, Message = message }.ToRpcException();
}
