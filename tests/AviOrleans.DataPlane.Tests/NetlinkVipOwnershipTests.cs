using System.Collections.Immutable;
using System.Net;
using AviOrleans.Grains;
using AviOrleans.Grains.DataPlane;
using AviOrleans.Grains.DataPlane.Internal;
using AviOrleans.Netlink;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AviOrleans.DataPlane.Tests;

/// <summary>
/// The real ownership on the real kernel: one SE host namespace on a LAN, a client namespace that captures what the
/// host announces. The self-fence runs on the system clock and is fed lease evidence by the test.
/// </summary>
public sealed class NetlinkVipOwnershipTests
{
    private const byte Mark = 0xA5;
    private static readonly IPAddress Vip = IPAddress.Parse("192.0.2.100");
    private static readonly IPAddress Vip6 = IPAddress.Parse("2001:db8::100");

    [Fact]
    public async Task Apply_NewOrder_AddsMarkedAddressesAndAnnouncesThemOnTheLan()
    {
        await using var lan = await Lan.CreateAsync(1);
        await using var host = await OwnershipHost.StartAsync(lan);
        using var capture = CaptureOnClient(lan);

        var ack = await host.Ownership.ApplyAsync(Order(1, "192.0.2.100", "2001:db8::100"), Ct);
        var garp = capture.WaitFor(f => Frames.IsGratuitousArp(f, Vip), TimeSpan.FromSeconds(10));
        var na = capture.WaitFor(f => Frames.IsNeighborAdvertisement(f, Vip6), TimeSpan.FromSeconds(10));

        Assert.True(ack.Applied, ack.RefusedReason);
        Assert.All(ack.Outcomes, o =>
        {
            Assert.Equal(AddressAction.Added, o.Action);
            Assert.NotNull(o.AddedAt);
            Assert.NotNull(o.AnnouncedAt);
            Assert.True(o.AnnouncedAt >= o.AddedAt, "announced after the kernel confirmed the add");
        });
        var addresses = Kernel.Addresses(lan.HostNamespaces[0], Lan.HostInterface);
        Assert.Contains(("192.0.2.100/32", Mark), addresses);
        Assert.Contains(("2001:db8::100/128", Mark), addresses);
        Assert.NotNull(garp);
        Assert.Equal(Lan.HostMac(0), Frames.SourceMac(garp));
        Assert.NotNull(na);
        Assert.Equal("1", Assert.Single(host.Ownership.Applied).Value.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Apply_OlderEpoch_IsRefusedAndChangesNothing()
    {
        await using var lan = await Lan.CreateAsync(1);
        await using var host = await OwnershipHost.StartAsync(lan);
        await host.Ownership.ApplyAsync(Order(5, "192.0.2.100"), Ct);

        var ack = await host.Ownership.ApplyAsync(Order(4), Ct);

        Assert.False(ack.Applied);
        Assert.Contains("older than epoch 5", ack.RefusedReason, StringComparison.Ordinal);
        Assert.Contains(("192.0.2.100/32", Mark), Kernel.Addresses(lan.HostNamespaces[0], Lan.HostInterface));
        Assert.Equal(5, host.Ownership.Applied["g1"].Epoch);
    }

    [Fact]
    public async Task Apply_SameEpochAgain_KeepsWithoutAnnouncingAgain()
    {
        await using var lan = await Lan.CreateAsync(1);
        await using var host = await OwnershipHost.StartAsync(lan);
        using var capture = CaptureOnClient(lan);
        await host.Ownership.ApplyAsync(Order(3, "192.0.2.100"), Ct);
        // The first apply's announcements (AnnouncementOptions.Count, 100 ms apart) go out after its acknowledgement,
        // later still on a loaded machine: all of them are seen before the second apply.
        for (var i = 0; i < new AnnouncementOptions().Count; i++)
        {
            Assert.NotNull(capture.WaitFor(f => Frames.IsGratuitousArp(f, Vip), TimeSpan.FromSeconds(10)));
        }

        var ack = await host.Ownership.ApplyAsync(Order(3, "192.0.2.100"), Ct);

        Assert.True(ack.Applied);
        var outcome = Assert.Single(ack.Outcomes);
        Assert.Equal(AddressAction.Kept, outcome.Action);
        Assert.Null(outcome.AnnouncedAt);
        Assert.Null(capture.WaitFor(f => Frames.IsGratuitousArp(f, Vip), TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Apply_NarrowerOrder_RemovesTheDroppedAddressOnly()
    {
        await using var lan = await Lan.CreateAsync(1);
        await using var host = await OwnershipHost.StartAsync(lan);
        await host.Ownership.ApplyAsync(Order(1, "192.0.2.100", "192.0.2.101"), Ct);

        var ack = await host.Ownership.ApplyAsync(Order(2, "192.0.2.101"), Ct);

        Assert.Equal(AddressAction.Removed, ack.Outcomes.Single(o => o.Address == "192.0.2.100").Action);
        Assert.Equal(AddressAction.Kept, ack.Outcomes.Single(o => o.Address == "192.0.2.101").Action);
        var addresses = Kernel.Addresses(lan.HostNamespaces[0], Lan.HostInterface);
        Assert.DoesNotContain(addresses, a => a.Address == "192.0.2.100/32");
        Assert.Contains(("192.0.2.101/32", Mark), addresses);
    }

    [Fact]
    public async Task Apply_InvalidOrders_AreRefusedWithTheReasonAndChangeNothing()
    {
        await using var lan = await Lan.CreateAsync(1);
        await using var host = await OwnershipHost.StartAsync(lan);

        var shorthand = await host.Ownership.ApplyAsync(Order(1, "10.1"), Ct);
        var twice = await host.Ownership.ApplyAsync(Order(1, "192.0.2.100", "192.0.2.100"), Ct);
        var prefix = await host.Ownership.ApplyAsync(new OwnershipOrder("g1", 1, [new OwnedAddress("192.0.2.100", 33, OwnedAddressKind.Vip, "vs")]), Ct);
        var loopback = await host.Ownership.ApplyAsync(Order(1, "127.0.0.5"), Ct);
        var noGroup = await host.Ownership.ApplyAsync(new OwnershipOrder(" ", 1, []), Ct);

        Assert.Contains("not an IPv4 or IPv6 address", shorthand.RefusedReason, StringComparison.Ordinal);
        Assert.Contains("appears twice", twice.RefusedReason, StringComparison.Ordinal);
        Assert.Contains("Prefix length 33", prefix.RefusedReason, StringComparison.Ordinal);
        Assert.Contains("cannot be a floating address", loopback.RefusedReason, StringComparison.Ordinal);
        Assert.Contains("names no group", noGroup.RefusedReason, StringComparison.Ordinal);
        Assert.All([shorthand, twice, prefix, loopback, noGroup], a => Assert.False(a.Applied));
        Assert.Empty(host.Ownership.Applied);
        Assert.DoesNotContain(Kernel.Addresses(lan.HostNamespaces[0], Lan.HostInterface), a => a.Protocol == Mark);
    }

    [Fact]
    public async Task Apply_AddressWantedByAnotherGroup_IsRefused()
    {
        await using var lan = await Lan.CreateAsync(1);
        await using var host = await OwnershipHost.StartAsync(lan);
        await host.Ownership.ApplyAsync(Order(1, "192.0.2.100"), Ct);

        var ack = await host.Ownership.ApplyAsync(new OwnershipOrder("g2", 1, [new OwnedAddress("192.0.2.100", 32, OwnedAddressKind.Vip, "other")]), Ct);

        Assert.False(ack.Applied);
        Assert.Contains("already wanted", ack.RefusedReason, StringComparison.Ordinal);
        Assert.False(host.Ownership.Applied.ContainsKey("g2"));
    }

    [Fact]
    public async Task Start_RemovesStaleMarkedAddressesAndNeverTouchesUnmarkedOnes()
    {
        await using var lan = await Lan.CreateAsync(1);
        var ns = lan.HostNamespaces[0];
        // A crashed predecessor's addresses (marked), one of them the primary of its subnet with an unmarked secondary
        // (removing a primary takes its secondaries along unless promote_secondaries is on), and someone else's address.
        Kernel.Add(ns, Lan.HostInterface, "192.0.2.101", 32, Mark);
        Kernel.Add(ns, Lan.HostInterface, "198.51.100.1", 24, Mark);
        Kernel.Add(ns, Lan.HostInterface, "198.51.100.2", 24);
        Kernel.Add(ns, Lan.HostInterface, "192.0.2.102", 32);
        Kernel.Add(ns, Lan.HostInterface, "2001:db8::101", 128, Mark);

        await using var host = await OwnershipHost.StartAsync(lan);

        var addresses = Kernel.Addresses(ns, Lan.HostInterface).Select(a => a.Address).ToList();
        Assert.DoesNotContain("192.0.2.101/32", addresses);
        Assert.DoesNotContain("198.51.100.1/24", addresses);
        Assert.DoesNotContain("2001:db8::101/128", addresses);
        Assert.Contains("198.51.100.2/24", addresses);
        Assert.Contains("192.0.2.102/32", addresses);
        Assert.Contains(Lan.HostAddress(0) + "/24", addresses);
    }

    [Fact]
    public async Task Fence_WindowRunsOut_WithdrawsEverythingAndAddsNothingUntilTheLeaseLiftsIt()
    {
        await using var lan = await Lan.CreateAsync(1);
        await using var host = await OwnershipHost.StartAsync(lan, window: TimeSpan.FromMilliseconds(400));
        await host.Ownership.ApplyAsync(Order(1, "192.0.2.100", "2001:db8::100"), Ct);
        await host.StopFeedingAsync();

        await Eventually.TrueAsync(() => host.Fence.State.IsFenced, "no evidence for W fences the host", TimeSpan.FromSeconds(5));
        var withdrawn = Kernel.Addresses(lan.HostNamespaces[0], Lan.HostInterface);
        var wider = await host.Ownership.ApplyAsync(Order(2, "192.0.2.100", "192.0.2.101"), Ct);
        var afterWider = Kernel.Addresses(lan.HostNamespaces[0], Lan.HostInterface);
        var narrowed = await host.Ownership.ApplyAsync(Order(3, "192.0.2.100"), Ct);
        using var capture = CaptureOnClient(lan);
        host.Feed();
        await Eventually.TrueAsync(() => Kernel.Addresses(lan.HostNamespaces[0], Lan.HostInterface).Contains(("192.0.2.100/32", Mark)), "the fence lifted and the recorded order came back");
        var garp = capture.WaitFor(f => Frames.IsGratuitousArp(f, Vip), TimeSpan.FromSeconds(5));

        Assert.DoesNotContain(withdrawn, a => a.Protocol == Mark);
        Assert.True(wider.Applied, wider.RefusedReason);
        Assert.Equal(AddressAction.Removed, wider.Outcomes.Single(o => o.Address == "2001:db8::100").Action);
        Assert.All(wider.Outcomes.Where(o => o.Address != "2001:db8::100"), o => Assert.Equal(AddressAction.Failed, o.Action));
        Assert.DoesNotContain(afterWider, a => a.Protocol == Mark);
        Assert.True(narrowed.Applied);
        Assert.Equal(AddressAction.Removed, narrowed.Outcomes.Single(o => o.Address == "192.0.2.101").Action);
        Assert.Equal(AddressAction.Failed, narrowed.Outcomes.Single(o => o.Address == "192.0.2.100").Action);
        Assert.Equal(3, host.Ownership.Applied["g1"].Epoch);
        Assert.NotNull(garp);
        var lifted = Kernel.Addresses(lan.HostNamespaces[0], Lan.HostInterface);
        Assert.DoesNotContain(lifted, a => a.Address is "2001:db8::100/128" or "192.0.2.101/32");
    }

    [Fact]
    public async Task Fence_OrderThatAddsWhileFenced_IsRecordedAndAppliedWhenTheLeaseLiftsIt()
    {
        await using var lan = await Lan.CreateAsync(1);
        await using var host = await OwnershipHost.StartAsync(lan, window: TimeSpan.FromMilliseconds(400));
        await host.StopFeedingAsync();
        await Eventually.TrueAsync(() => host.Fence.State.IsFenced, "no evidence for W fences the host", TimeSpan.FromSeconds(5));

        var ack = await host.Ownership.ApplyAsync(Order(7, "192.0.2.100"), Ct);
        // The agent's reconcile timer and the kernel's notifications get their chance to misbehave.
        await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
        var whileFenced = Kernel.Addresses(lan.HostNamespaces[0], Lan.HostInterface);
        host.Feed();
        await Eventually.TrueAsync(() => Kernel.Addresses(lan.HostNamespaces[0], Lan.HostInterface).Contains(("192.0.2.100/32", Mark)), "the lift applies the order given while fenced", TimeSpan.FromSeconds(5));

        Assert.True(ack.Applied, ack.RefusedReason);
        var outcome = Assert.Single(ack.Outcomes);
        Assert.Equal(AddressAction.Failed, outcome.Action);
        Assert.Contains("added when the fence lifts", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(whileFenced, a => a.Protocol == Mark);
        Assert.Equal(7, host.Ownership.Applied["g1"].Epoch);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OwnershipOrder Order(long epoch, params string[] addresses) =>
        new("g1", epoch, [.. addresses.Select(a => new OwnedAddress(a, a.Contains(':', StringComparison.Ordinal) ? 128 : 32, OwnedAddressKind.Vip, "vs-" + a))]);

    private static PacketReceiver CaptureOnClient(Lan lan)
    {
        using var client = NetlinkRouteClient.Open(lan.Client);
        return PacketReceiver.Open(client.GetLink(Lan.HostInterface), PacketReceiver.AllProtocols, lan.Client);
    }

    /// <summary>A <see cref="NetlinkVipOwnership"/> on host 0 of the LAN, its self-fence fed lease evidence every
    /// 50 ms until <see cref="StopFeedingAsync"/>.</summary>
    private sealed class OwnershipHost : IAsyncDisposable
    {
        private CancellationTokenSource? _feeding;
        private Task _feeder = Task.CompletedTask;

        private OwnershipHost(LivenessEvidence fence, NetlinkVipOwnership ownership)
        {
            Fence = fence;
            Ownership = ownership;
        }

        public LivenessEvidence Fence { get; }

        public NetlinkVipOwnership Ownership { get; }

        public static async Task<OwnershipHost> StartAsync(Lan lan, TimeSpan? window = null)
        {
            var options = new DataPlaneOptions
            {
                VipInterface = Lan.HostInterface,
                NetworkNamespace = lan.HostNamespaces[0],
                AddressProtocol = Mark,
                FencingWindow = window ?? TimeSpan.FromSeconds(2),
            };
            var fence = new LivenessEvidence(Options.Create(options), TimeProvider.System, NullLogger<LivenessEvidence>.Instance);
            var ownership = new NetlinkVipOwnership(options, fence, TimeProvider.System, NullLoggerFactory.Instance);
            fence.Start(ownership.WithdrawAll);
            await ownership.StartAsync(Ct);
            var host = new OwnershipHost(fence, ownership);
            host.Feed();
            await Eventually.TrueAsync(() => !fence.State.IsFenced, "the fed lease evidence lifts the fence");
            return host;
        }

        /// <summary>Lease evidence every 50 ms, as a healthy store would give.</summary>
        public void Feed()
        {
            var feeding = new CancellationTokenSource();
            _feeding = feeding;
            _feeder = Task.Run(async () =>
            {
                while (!feeding.IsCancellationRequested)
                {
                    Fence.OnLeaseConfirmed(TimeProvider.System.GetTimestamp());
                    try
                    {
                        await Task.Delay(50, feeding.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            });
        }

        public async Task StopFeedingAsync()
        {
            if (_feeding is { } feeding)
            {
                await feeding.CancelAsync();
                await _feeder;
                feeding.Dispose();
                _feeding = null;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopFeedingAsync();
            await Ownership.DisposeAsync();
            Fence.Dispose();
        }
    }
}
