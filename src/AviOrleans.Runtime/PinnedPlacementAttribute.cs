namespace AviOrleans.Runtime;

/// <summary>
/// The grain lives on the silo named by its key: the whole key, or the part before the first '/'
/// (key <c>se-1</c> or <c>se-1/agent</c> lives on silo <c>se-1</c>). When that silo is not active, calls fail
/// at once with <see cref="SiloUnavailableException"/>; the grain never moves.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
public sealed class PinnedPlacementAttribute : Attribute;
