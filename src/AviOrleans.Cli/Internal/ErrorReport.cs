using System.Text.Json;
using Google.Rpc;
using Grpc.Core;
using GrpcStatusCode = Grpc.Core.StatusCode;

namespace AviOrleans.Cli.Internal;

/// <summary>Says what went wrong, for people (stderr text) or scripts (stderr JSON), and picks the exit code.</summary>
internal static class ErrorReport
{
    public static int Write(RpcException ex, ClientSettings settings, TextWriter error)
    {
        // Grpc.Net.Client reports a TLS handshake that failed (an untrusted certificate) as INTERNAL; for avictl it is
        // a gateway it cannot reach as configured.
        var code = IsTlsFailure(ex) ? ExitCodes.Unavailable : ExitCodeOf(ex.StatusCode);
        var details = ex.GetRpcStatus();
        var violations = Details<BadRequest>(details).SelectMany(b => b.FieldViolations).Select(v => (v.Field, v.Description)).ToList();
        var preconditions = Details<PreconditionFailure>(details).SelectMany(p => p.Violations).ToList();
        var message = Explain(ex, settings.Gateway);
        if (settings.Json)
        {
            error.WriteLine(JsonSerializer.Serialize(new
            {
                error = new
                {
                    code = CodeName(ex.StatusCode),
                    message,
                    field_violations = violations.Select(v => new { field = v.Field, description = v.Description }).ToArray(),
                    precondition_failures = preconditions.Select(v => new { subject = v.Subject, description = v.Description }).ToArray(),
                },
            }));
            return code;
        }

        error.WriteLine("avictl: " + message);
        foreach (var (field, description) in violations)
        {
            error.WriteLine($"  {field}: {description}");
        }

        foreach (var v in preconditions.Where(v => v.Subject.Length > 0 && !message.Contains(v.Description, StringComparison.Ordinal)))
        {
            error.WriteLine($"  {v.Subject}: {v.Description}");
        }

        return code;
    }

    public static int WriteUsage(string message, ClientSettings? settings, TextWriter error)
    {
        if (settings?.Json == true)
        {
            error.WriteLine(JsonSerializer.Serialize(new { error = new { code = "USAGE", message } }));
        }
        else
        {
            error.WriteLine("avictl: " + message);
        }

        return ExitCodes.Usage;
    }

    public static int ExitCodeOf(GrpcStatusCode status) => status switch
    {
        GrpcStatusCode.InvalidArgument or GrpcStatusCode.OutOfRange => ExitCodes.Invalid,
        GrpcStatusCode.NotFound => ExitCodes.NotFound,
        GrpcStatusCode.AlreadyExists or GrpcStatusCode.FailedPrecondition or GrpcStatusCode.Aborted => ExitCodes.Refused,
        GrpcStatusCode.Unauthenticated or GrpcStatusCode.PermissionDenied => ExitCodes.Auth,
        GrpcStatusCode.Unavailable or GrpcStatusCode.DeadlineExceeded => ExitCodes.Unavailable,
        _ => ExitCodes.Failed,
    };

    private static string Explain(RpcException ex, Uri gateway)
    {
        var detail = ex.Status.Detail;
        if (IsTlsFailure(ex))
        {
            return $"the TLS connection to the gateway at {gateway} failed ({detail}); is its certificate trusted? Give it with --ca or AVICTL_CA.";
        }

        return ex.StatusCode switch
        {
            GrpcStatusCode.Unavailable when detail.StartsWith("Error ", StringComparison.Ordinal) =>
                $"cannot reach the gateway at {gateway} ({detail}). Is the silo running with its gateway? Set the address with --gateway or AVICTL_GATEWAY.",
            GrpcStatusCode.Unavailable => $"the gateway at {gateway} is unavailable: {detail}",
            GrpcStatusCode.DeadlineExceeded => $"the gateway at {gateway} did not answer in time (--timeout).",
            GrpcStatusCode.Unauthenticated => $"the gateway refused the token ({detail}). Give a valid token with --token or AVICTL_TOKEN.",
            GrpcStatusCode.PermissionDenied => $"the token may not do this ({detail}); changes need an admin token.",
            GrpcStatusCode.InvalidArgument => "invalid request:",
            GrpcStatusCode.NotFound => detail,
            GrpcStatusCode.AlreadyExists => "already exists: " + detail,
            GrpcStatusCode.FailedPrecondition => "not allowed now: " + detail,
            GrpcStatusCode.Aborted => "the object changed while this command ran; run it again (" + detail + ")",
            _ => $"the gateway answered {CodeName(ex.StatusCode)}: {detail}",
        };
    }

    private static bool IsTlsFailure(RpcException ex)
    {
        for (var inner = ex.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }

    // The google.rpc details of one type in grpc-status-details-bin (Grpc.StatusProto reads the trailer).
    private static IEnumerable<T> Details<T>(Google.Rpc.Status? status)
        where T : class, Google.Protobuf.IMessage<T>, new()
    {
        foreach (var any in status?.Details ?? [])
        {
            if (any.TryUnpack<T>(out var detail))
            {
                yield return detail;
            }
        }
    }

    private static string CodeName(GrpcStatusCode code) => code switch
    {
        GrpcStatusCode.OK => "OK",
        GrpcStatusCode.InvalidArgument => "INVALID_ARGUMENT",
        GrpcStatusCode.NotFound => "NOT_FOUND",
        GrpcStatusCode.AlreadyExists => "ALREADY_EXISTS",
        GrpcStatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        GrpcStatusCode.Aborted => "ABORTED",
        GrpcStatusCode.Unauthenticated => "UNAUTHENTICATED",
        GrpcStatusCode.PermissionDenied => "PERMISSION_DENIED",
        GrpcStatusCode.Unavailable => "UNAVAILABLE",
        GrpcStatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        GrpcStatusCode.Cancelled => "CANCELLED",
        GrpcStatusCode.Unimplemented => "UNIMPLEMENTED",
        GrpcStatusCode.Internal => "INTERNAL",
        GrpcStatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        _ => code.ToString().ToUpperInvariant(),
    };
}
