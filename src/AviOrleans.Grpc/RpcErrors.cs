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

    /// <summary>NOT_FOUND with a <c>google.rpc.ResourceInfo</c> naming what was looked for.</summary>
    /// <param name="resourceType">E.g. "virtualservice".</param>
    /// <param name="resourceName">The name or id that was not found.</param>
    /// <param name="message">The readable message; default "virtualservice 'web' not found".</param>
    public static RpcException NotFound(string resourceType, string resourceName, string? message = null) =>
        WithResource(StatusCode.NotFound, resourceType, resourceName, message ?? $"{resourceType} '{resourceName}' not found");

    /// <summary>ALREADY_EXISTS with a <c>google.rpc.ResourceInfo</c> naming the existing resource.</summary>
    public static RpcException AlreadyExists(string resourceType, string resourceName, string? message = null) =>
        WithResource(StatusCode.AlreadyExists, resourceType, resourceName, message ?? $"{resourceType} '{resourceName}' already exists");

    /// <summary>
    /// FAILED_PRECONDITION with a <c>google.rpc.PreconditionFailure</c>: one violation per
    /// (type, subject, description), e.g. ("VIP_IN_USE", "192.0.2.10", "used by virtualservice 'api'").
    /// </summary>
    public static RpcException FailedPrecondition(string message, params IEnumerable<(string Type, string Subject, string Description)> violations)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        ArgumentNullException.ThrowIfNull(violations);
        var failure = new PreconditionFailure();
        foreach (var (type, subject, description) in violations)
        {
            failure.Violations.Add(new PreconditionFailure.Types.Violation { Type = type ?? string.Empty, Subject = subject ?? string.Empty, Description = description ?? string.Empty });
        }

        return FromRpcStatus(new Google.Rpc.Status { Code = (int)StatusCode.FailedPrecondition, Message = message, Details = { Any.Pack(failure) } });
    }

    /// <summary>An exception whose status and details are <paramref name="status"/> (any detail messages).</summary>
    public static RpcException FromRpcStatus(Google.Rpc.Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var trailers = new Metadata { { RpcException.StatusDetailsTrailer, status.ToByteArray() } };
        return new RpcException(new Status((StatusCode)status.Code, status.Message), trailers);
    }

    /// <summary>The <c>google.rpc.ResourceInfo</c> in <paramref name="exception"/>'s details, or null.</summary>
    public static ResourceInfo? GetResourceInfo(this RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = exception.GetRpcStatus();
        foreach (var detail in status?.Details ?? [])
        {
            if (detail.TryUnpack<ResourceInfo>(out var info))
            {
                return info;
            }
        }

        return null;
    }

    /// <summary>The precondition violations in <paramref name="exception"/>'s details, empty when there are none.</summary>
    public static IReadOnlyList<(string Type, string Subject, string Description)> GetPreconditionViolations(this RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var result = new List<(string, string, string)>();
        foreach (var detail in exception.GetRpcStatus()?.Details ?? [])
        {
            if (detail.TryUnpack<PreconditionFailure>(out var failure))
            {
                result.AddRange(failure.Violations.Select(v => (v.Type, v.Subject, v.Description)));
            }
        }

        return result;
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

    private static RpcException WithResource(StatusCode code, string resourceType, string resourceName, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceType);
        ArgumentNullException.ThrowIfNull(resourceName);
        var info = new ResourceInfo { ResourceType = resourceType, ResourceName = resourceName };
        return FromRpcStatus(new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } });
    }
}
