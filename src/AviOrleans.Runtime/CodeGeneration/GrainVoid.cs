namespace AviOrleans.Runtime.CodeGeneration;

/// <summary>The result type of grain methods that return a plain <see cref="Task"/>.</summary>
public readonly record struct GrainVoid;
