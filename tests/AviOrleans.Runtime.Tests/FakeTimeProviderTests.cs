using AviOrleans.Testing;

namespace AviOrleans.Runtime.Tests;

public sealed class FakeTimeProviderTests
{
    [Fact]
    public void Advance_PeriodicTimer_FiresOncePerPeriodInOrder()
    {
        var clock = new FakeTimeProvider();
        var fired = new List<TimeSpan>();
        var start = clock.GetUtcNow();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow() - start), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        clock.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5)], fired);
        Assert.Equal(start + TimeSpan.FromSeconds(6), clock.GetUtcNow());
    }

    [Fact]
    public void Advance_DisposedTimer_DoesNotFire()
    {
        var clock = new FakeTimeProvider();
        var fired = 0;
        var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        timer.Dispose();
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, fired);
    }
}
