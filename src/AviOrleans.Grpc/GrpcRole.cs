namespace AviOrleans.Grpc;

/// <summary>
/// The roles a caller can hold, ordered: a role includes every role below it (an admin can read).
/// </summary>
public enum GrpcRole
{
    /// <summary>No token was presented (or none is needed).</summary>
    Anonymous = 0,

    /// <summary>May call read methods (Get, List, Watch, status).</summary>
    Reader = 1,

    /// <summary>May call every method, including mutations and operations.</summary>
    Admin = 2,
}
