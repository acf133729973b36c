using AviOrleans.Domain;

namespace AviOrleans.Grains.Internal;

/// <summary>What one change does: a configuration change, the groups to re-place, and an optional operation.</summary>
/// <typeparam name="T">What the change returns to its caller.</typeparam>
/// <param name="Change">The configuration change, validated before anything happens; null for none.</param>
/// <param name="Result">The caller's result (the object as stored).</param>
/// <param name="Groups">The groups whose placement the change can affect.</param>
/// <param name="ObjectKind">Avi's name of the kind of object changed (violations on it are reported relative to it).</param>
/// <param name="ObjectName">The name of the object changed.</param>
/// <param name="Request">An HA operation to carry out on <see cref="RequestGroup"/>.</param>
/// <param name="RequestGroup">The group of <see cref="Request"/>.</param>
internal sealed record Mutation<T>(
    ConfigurationChange? Change,
    T Result,
    IReadOnlyCollection<string> Groups,
    string ObjectKind,
    string ObjectName,
    PlacementRequest? Request = null,
    string? RequestGroup = null);
