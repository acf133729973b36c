namespace AviOrleans.Grains;

/// <summary>Where the HA grains learn whether an SE is up.</summary>
public enum ServiceEngineLiveness
{
    /// <summary>
    /// Orleans membership: an SE is up while a silo named after it is Active, down once it is Dead
    /// or when none has joined. The product's mode: every SE is a silo.
    /// </summary>
    Membership = 0,

    /// <summary>
    /// Only what is reported (<c>ReportServiceEngineStateAsync</c>), up until told otherwise: for a
    /// control plane whose SEs are not silos of this cluster (API tests, SEs run elsewhere).
    /// </summary>
    Reported = 1,
}
