namespace AviOrleans.Runtime;

/// <summary>
/// On a grain class: its calls interleave at awaits (still one thread at a time). Without it, an activation
/// finishes one call before it starts the next.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ReentrantAttribute : Attribute;
