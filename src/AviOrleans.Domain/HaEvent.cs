namespace AviOrleans.Domain;

/// <summary>An event that explains a placement change (or a refusal), with Avi's event id where one fits.</summary>
/// <param name="Type">The event id.</param>
/// <param name="VsRef">The virtual service concerned, if any.</param>
/// <param name="SeRef">The SE concerned, if any (for a move: the SE the VS moved to).</param>
/// <param name="Description">A readable explanation.</param>
public sealed record HaEvent(HaEventType Type, string? VsRef, string? SeRef, string Description)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Type.ToAviName()} vs={VsRef ?? "-"} se={SeRef ?? "-"}: {Description}";
}
