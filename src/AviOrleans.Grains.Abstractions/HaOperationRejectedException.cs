namespace AviOrleans.Grains;

/// <summary>
/// The operation is not allowed in the group's HA mode or the current state (e.g. a migrate in
/// legacy HA, a scale-out at max_scaleout_per_vs, deleting a group that still has SEs); nothing
/// was changed (gRPC FAILED_PRECONDITION).
/// </summary>
[GenerateSerializer, Alias("avi.HaOperationRejectedException")]
public sealed class HaOperationRejectedException : Exception
{
    /// <summary>Creates the exception with the reason.</summary>
    public HaOperationRejectedException(string message)
        : base(message)
    {
        Violations = [];
    }

    /// <summary>Creates the exception for configuration changes the current state does not allow.</summary>
    public HaOperationRejectedException(IReadOnlyList<HaViolation> violations)
        : base(string.Join("; ", violations.Select(v => v.Message)))
    {
        Violations = violations;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public HaOperationRejectedException()
        : this("The operation is not allowed now.")
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public HaOperationRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Violations = [];
    }

    /// <summary>The fields whose change is not allowed now, when a configuration change was refused.</summary>
    [Id(0)]
    public IReadOnlyList<HaViolation> Violations { get; private set; }
}
