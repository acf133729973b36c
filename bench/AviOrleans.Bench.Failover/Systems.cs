using AviOrleans.Testing.Lan.Failover;
using AviOrleans.Testing.Lan.Silos;

/// <summary>The systems under test the bench knows, by command-line name: one entry here, one column in the report.</summary>
internal static class Systems
{
    /// <summary>The report's columns, in order: name on the command line, heading, factory (null: no driver yet).</summary>
    public static readonly IReadOnlyList<(string Key, string Heading, Func<IFailoverSystem>? Create)> All =
    [
        ("keepalived-v2", "keepalived VRRPv2, advert_int 1", () => new KeepalivedSystem(KeepalivedOptions.Defaults)),
        ("keepalived-v3", "keepalived VRRPv3, advert_int 0.1", () => new KeepalivedSystem(KeepalivedOptions.Fast)),
        // The AviOrleans silos in the LAN's host namespaces, a legacy active/standby pair on PostgreSQL through the store node.
        ("aviorleans", "AviOrleans, legacy pair (shipped defaults)", () => new AviOrleansSystem()),
    ];
}
