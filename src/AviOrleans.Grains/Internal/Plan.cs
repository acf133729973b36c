using AviOrleans.Domain;

namespace AviOrleans.Grains.Internal;

/// <summary>What one change to a group does: a configuration change, the caller's result, an optional operation.</summary>
/// <param name="Change">The configuration change, validated before anything happens; null for none.</param>
/// <param name="Result">The caller's result (the object as stored); null: the decision's <see cref="HaOperationResult"/>.</param>
/// <param name="Request">An HA operation for the engine to carry out.</param>
internal sealed record Plan(ConfigurationChange? Change, object? Result, PlacementRequest? Request = null)
{
    /// <summary>A change that changes nothing (idempotent requests).</summary>
    public static Plan Nothing(object result) => new(null, result) { IsNothing = true };

    /// <summary>True when there is nothing to decide.</summary>
    public bool IsNothing { get; private init; }
}
