namespace AviOrleans.Netlink;

/// <summary>How a new owner announces an address: gratuitous ARP for IPv4, unsolicited neighbour advertisements for IPv6.</summary>
public sealed class AnnouncementOptions
{
    /// <summary>How many announcements to send (each may be a request and a reply). Default: 3.</summary>
    public int Count { get; set; } = 3;

    /// <summary>The pause between two announcements. Default: 100 milliseconds.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The ARP form for IPv4. Default: <see cref="GratuitousArpForm.Request"/>.</summary>
    public GratuitousArpForm ArpForm { get; set; } = GratuitousArpForm.Request;

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Count, 1, nameof(Count));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Count, 100, nameof(Count));
        ArgumentOutOfRangeException.ThrowIfLessThan(Interval, TimeSpan.Zero, nameof(Interval));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Interval, TimeSpan.FromMinutes(1), nameof(Interval));
        if (!Enum.IsDefined(ArpForm))
        {
            throw new ArgumentOutOfRangeException(nameof(ArpForm), ArpForm, "Unknown gratuitous ARP form.");
        }
    }
}
