namespace AviOrleans.Grpc;

/// <summary>A service's health as <c>grpc.health.v1.Health</c> reports it.</summary>
public enum HealthServingStatus
{
    /// <summary>Not known yet.</summary>
    Unknown = 0,

    /// <summary>Accepting calls.</summary>
    Serving = 1,

    /// <summary>Not accepting calls (e.g. the silo is joining or shutting down).</summary>
    NotServing = 2,
}
