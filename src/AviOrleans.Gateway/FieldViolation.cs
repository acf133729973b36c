namespace AviOrleans.Gateway;

/// <summary>One problem with one field of a request, as google.rpc.BadRequest reports it.</summary>
/// <param name="Field">The API field path, e.g. <c>service_engine_group.max_vs_per_se</c>.</param>
/// <param name="Description">What is wrong, for people.</param>
public readonly record struct FieldViolation(string Field, string Description);
