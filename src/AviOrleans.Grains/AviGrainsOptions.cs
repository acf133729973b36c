namespace AviOrleans.Grains;

/// <summary>Settings of the HA grains on a silo (<c>AddAviGrains</c>).</summary>
public sealed class AviGrainsOptions
{
    /// <summary>Where an SE's liveness comes from. Default: <see cref="ServiceEngineLiveness.Membership"/>.</summary>
    public ServiceEngineLiveness ServiceEngineLiveness { get; set; } = ServiceEngineLiveness.Membership;

    /// <summary>How often a group re-reads the membership view in case it missed a change. Default: 5 seconds.</summary>
    public TimeSpan MembershipReconcilePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a leaving silo waits for its groups to hand its addresses to peers. Default: 10 seconds.</summary>
    public TimeSpan HandOffTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Avi's controller timers the groups decide with (how long a dead SE keeps counting against <c>max_se</c>); every
    /// silo of a cluster should have the same. Default: Avi's (300 s + 300 s).
    /// </summary>
    public Domain.ControllerProperties ControllerProperties { get; set; } = new();

    /// <summary>How many placement records each virtual service keeps. Default: 32.</summary>
    public int HistoryLength { get; set; } = 32;

    /// <summary>How often a running rolling upgrade takes its next step or looks at a restarting SE. Default: 500 ms.</summary>
    public TimeSpan UpgradePollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How often a running rolling upgrade's reminder wakes it when its activation went away with its silo and nobody
    /// calls it. Default: 1 minute (Orleans' smallest reminder period unless its <c>ReminderOptions</c> allow less).
    /// </summary>
    public TimeSpan UpgradeReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The software version this silo's SE runs, as a rolling upgrade compares it with its target. Default: the
    /// informational version of the process's entry assembly, without its build metadata (the text after '+').
    /// </summary>
    public string ServiceEngineVersion { get; set; } = EntryVersion();

    private static string EntryVersion()
    {
        var assembly = System.Reflection.Assembly.GetEntryAssembly() ?? typeof(AviGrainsOptions).Assembly;
        var informational = System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(assembly)?.InformationalVersion;
        var version = informational ?? assembly.GetName().Version?.ToString() ?? "0";
        return version.Split('+')[0];
    }
}
