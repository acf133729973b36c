namespace AviOrleans.Domain;

/// <summary>The verdict on a <see cref="ConfigurationChange"/>.</summary>
/// <param name="Proposed">The configuration the change would give (apply it only when <see cref="IsValid"/>).</param>
/// <param name="Violations">Every violation found; empty when valid.</param>
/// <param name="ChangesNothing">True when the proposed configuration equals the current one.</param>
public sealed record ChangeValidationResult(HaConfiguration Proposed, IReadOnlyList<FieldViolation> Violations, bool ChangesNothing)
{
    /// <summary>True when there is no violation.</summary>
    public bool IsValid => Violations.Count == 0;
}
