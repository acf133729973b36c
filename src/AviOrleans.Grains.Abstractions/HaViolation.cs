namespace AviOrleans.Grains;

/// <summary>One reason a configuration change is invalid.</summary>
/// <param name="Field">
/// The field's path within its object, in Avi's names (<c>max_vs_per_se</c>, <c>vip[1].ip_address</c>);
/// empty for the object as a whole.
/// </param>
/// <param name="Message">What is wrong, for people.</param>
/// <param name="OtherObject">
/// Null when the field belongs to the object the change is about; otherwise that other object, as
/// Avi's kind and name (<c>virtualservice[web]</c>): the change broke a rule that shows there.
/// </param>
[GenerateSerializer, Immutable, Alias("avi.HaViolation")]
public sealed record HaViolation([property: Id(0)] string Field, [property: Id(1)] string Message, [property: Id(2)] string? OtherObject = null);
