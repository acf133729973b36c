namespace AviOrleans.Testing.Lan;

/// <summary>The shape of a <see cref="VirtualLan"/>.</summary>
public sealed class LanOptions
{
    /// <summary>The environment variable scripts/test.sh sets to the PostgreSQL connection string.</summary>
    public const string PostgresVariable = "AVIORLEANS_TEST_POSTGRES";

    /// <summary>The SE hosts, in order: 192.0.2.11, .12, ... Default: se1, se2. At most 30.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = ["se1", "se2"];

    /// <summary>The client machines, in order: 192.0.2.50, .51, ... Default: cli. At most 9.</summary>
    public IReadOnlyList<string> Clients { get; init; } = ["cli"];

    /// <summary>The TCP port of the VIPs' service: each host's banner listens on it. Default: 8080.</summary>
    public int ServicePort { get; init; } = 8080;

    /// <summary>Whether each host starts its banner service with the LAN. Default: true.</summary>
    public bool StartBanners { get; init; } = true;

    /// <summary>The PostgreSQL server the store relays to (an Npgsql connection string; only Host and Port are used by
    /// the relay). Default: the value of <see cref="PostgresVariable"/>; null or empty means a LAN without a store.</summary>
    public string? StoreConnectionString { get; init; } = Environment.GetEnvironmentVariable(PostgresVariable);

    /// <summary>The port the store listens on inside the LAN. Default: 5432.</summary>
    public int StorePort { get; init; } = 5432;

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> naming the first problem.</summary>
    public void Validate()
    {
        if (Hosts is null || Hosts.Count is < 1 or > 30)
        {
            throw new ArgumentException("A LAN has 1 to 30 hosts.", nameof(Hosts));
        }

        if (Clients is null || Clients.Count is < 1 or > 9)
        {
            throw new ArgumentException("A LAN has 1 to 9 clients.", nameof(Clients));
        }

        var names = new HashSet<string>(StringComparer.Ordinal) { VirtualLan.StoreName };
        foreach (var name in Hosts.Concat(Clients))
        {
            // The name is also the bridge port's name (IFNAMSIZ 16, and readable).
            if (string.IsNullOrEmpty(name) || name.Length > 12 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)) || !char.IsAsciiLetterLower(name[0]))
            {
                throw new ArgumentException($"'{name}' is not a node name: 1 to 12 lower-case letters and digits, starting with a letter.", nameof(Hosts));
            }

            if (name is "br0" or "lo" or "eth0" or VirtualLan.SwitchName || !names.Add(name))
            {
                throw new ArgumentException($"The node name '{name}' is reserved or used twice.", nameof(Hosts));
            }
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ServicePort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ServicePort, 65535);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(StorePort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(StorePort, 65535);
    }
}
