namespace AviOrleans.Domain;

/// <summary>One reason why a group needs more service engines, with the virtual services concerned.</summary>
/// <param name="Reason">The reason.</param>
/// <param name="Ses">How many more SEs would satisfy it (within <c>max_se</c> or not: the description says).</param>
/// <param name="VsRefs">The virtual services concerned, by name (empty for group-wide reasons).</param>
/// <param name="Description">A readable explanation with the numbers.</param>
public sealed record SeNeed(SeNeedReason Reason, int Ses, EquatableArray<string> VsRefs, string Description);
