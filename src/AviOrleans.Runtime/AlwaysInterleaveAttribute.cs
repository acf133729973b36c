namespace AviOrleans.Runtime;

/// <summary>On a grain interface method: calls to it interleave with any other call of the activation.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class AlwaysInterleaveAttribute : Attribute;
