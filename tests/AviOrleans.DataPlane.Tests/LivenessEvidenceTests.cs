using AviOrleans.Grains.DataPlane;
using AviOrleans.Grains.DataPlane.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AviOrleans.DataPlane.Tests;

/// <summary>The self-fence's rules, on a driven clock: what lifts it, what extends it, what never does.</summary>
public sealed class LivenessEvidenceTests : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan PeerLimit = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _clock = new();
    private readonly LivenessEvidence _fence;
    private int _withdrawals;

    public LivenessEvidenceTests()
    {
        _fence = new LivenessEvidence(
            Options.Create(new DataPlaneOptions { FencingWindow = Window, PeerEvidenceLimit = PeerLimit }),
            _clock,
            NullLogger<LivenessEvidence>.Instance);
        _fence.Start(() => Interlocked.Increment(ref _withdrawals));
    }

    [Fact]
    public void Fence_BeforeAnyLease_IsFencedAndRefusesAdds()
    {
        Assert.True(_fence.State.IsFenced);
        Assert.False(_fence.MayAdd());
        Assert.False(_fence.IsLive());
    }

    [Fact]
    public async Task Fence_LeaseConfirmed_LiftsUntilWindowAfterTheRequestWasSent()
    {
        var sentAt = _clock.GetTimestamp();
        _clock.Advance(TimeSpan.FromMilliseconds(40));

        Assert.True(_fence.OnLeaseConfirmed(sentAt));
        await Eventually.TrueAsync(() => !_fence.State.IsFenced, "a lease renewal lifts the fence");
        _clock.Advance(Window - TimeSpan.FromMilliseconds(41));
        Assert.True(_fence.MayAdd());
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        await Eventually.TrueAsync(() => _fence.State.IsFenced, "W after the renewal was sent, without new evidence, the host fences");
        Assert.False(_fence.MayAdd());
        Assert.Equal(1, Volatile.Read(ref _withdrawals));
    }

    [Fact]
    public async Task Fence_PeersConfirmWhileLive_ExtendTheDeadline()
    {
        await LiftAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(200));

        Assert.True(_fence.OnPeersConfirmed(_clock.GetTimestamp()));
        _clock.Advance(TimeSpan.FromMilliseconds(250));

        Assert.True(_fence.MayAdd());
        Assert.False(_fence.State.IsFenced);
        Assert.Equal(0, Volatile.Read(ref _withdrawals));
    }

    [Fact]
    public async Task Fence_PeersConfirmAfterTheFence_DoNotLiftIt()
    {
        await LiftAsync();
        _clock.Advance(Window);
        await Eventually.TrueAsync(() => _fence.State.IsFenced, "the window ran out");

        Assert.False(_fence.OnPeersConfirmed(_clock.GetTimestamp()));

        await Task.Delay(120, TestContext.Current.CancellationToken);
        Assert.True(_fence.State.IsFenced);
        Assert.False(_fence.MayAdd());
    }

    [Fact]
    public async Task Fence_DeadlinePassedButNotYetActedOn_PeersCannotExtend()
    {
        await LiftAsync();
        _clock.Advance(Window + TimeSpan.FromMilliseconds(1));

        Assert.False(_fence.OnPeersConfirmed(_clock.GetTimestamp()));
    }

    [Fact]
    public async Task Fence_PeersBeyondTheLimitSinceTheLastLease_DoNotExtend()
    {
        await LiftAsync();
        // Peers keep the host alive while the store is away...
        for (var elapsed = TimeSpan.Zero; elapsed < PeerLimit; elapsed += TimeSpan.FromMilliseconds(100))
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100));
            Assert.True(_fence.OnPeersConfirmed(_clock.GetTimestamp()), $"peer evidence {elapsed} after the last lease");
        }

        // ...but not for longer than the limit after the last lease renewal.
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(_fence.OnPeersConfirmed(_clock.GetTimestamp()));
        _clock.Advance(Window);
        await Eventually.TrueAsync(() => _fence.State.IsFenced, "peers alone keep the host for at most the limit");
    }

    [Fact]
    public async Task Fence_LeaseConfirmationArrivingAfterItsWindow_IsIgnored()
    {
        var sentAt = _clock.GetTimestamp();
        _clock.Advance(Window);

        Assert.False(_fence.OnLeaseConfirmed(sentAt));

        await Task.Delay(120, TestContext.Current.CancellationToken);
        Assert.True(_fence.State.IsFenced);
    }

    [Fact]
    public async Task Fence_LeaseAfterAFence_LiftsItAgain()
    {
        await LiftAsync();
        _clock.Advance(Window);
        await Eventually.TrueAsync(() => _fence.State.IsFenced, "the window ran out");

        Assert.True(_fence.OnLeaseConfirmed(_clock.GetTimestamp()));

        await Eventually.TrueAsync(() => !_fence.State.IsFenced, "only the store lifts a fence");
        Assert.True(_fence.MayAdd());
    }

    [Fact]
    public async Task Fence_Permanent_WithdrawsAndNoLeaseLiftsIt()
    {
        await LiftAsync();

        _fence.FencePermanently("test: declared dead");

        await Eventually.TrueAsync(() => _fence.State.IsFenced, "a permanent fence acts at once");
        Assert.Equal("test: declared dead", _fence.State.Reason);
        Assert.Equal(1, Volatile.Read(ref _withdrawals));
        Assert.False(_fence.OnLeaseConfirmed(_clock.GetTimestamp()));
        await Task.Delay(120, TestContext.Current.CancellationToken);
        Assert.True(_fence.State.IsFenced);
    }

    [Fact]
    public async Task Fence_DeadlineChanged_CarriesSendTimePlusWindow()
    {
        var deadlines = new List<long>();
        _fence.DeadlineChanged += d => { lock (deadlines) { deadlines.Add(d); } };
        await LiftAsync();
        var sentAt = _clock.GetTimestamp();

        _fence.OnLeaseConfirmed(sentAt);

        lock (deadlines)
        {
            Assert.Equal(sentAt + (long)(Window.TotalSeconds * _clock.TimestampFrequency), deadlines[^1]);
        }
    }

    public void Dispose() => _fence.Dispose();

    private async Task LiftAsync()
    {
        Assert.True(_fence.OnLeaseConfirmed(_clock.GetTimestamp()));
        await Eventually.TrueAsync(() => !_fence.State.IsFenced, "a lease renewal lifts the fence");
    }
}
