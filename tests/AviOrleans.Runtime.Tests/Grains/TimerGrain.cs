using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Tests.Grains;

public sealed class TimerGrain : Grain, ITimerGrain
{
    private IGrainTimer? _timer;
    private bool _inCall;
    private bool _inTick;
    private int _ticks;
    private int _ticksDuringCalls;
    private int _overlapping;

    public Task StartAsync(int periodMs)
    {
        _timer ??= RegisterGrainTimer(OnTickAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.FromMilliseconds(periodMs),
            Period = TimeSpan.FromMilliseconds(periodMs),
        });
        return Task.CompletedTask;
    }

    public async Task SlowCallAsync(int milliseconds)
    {
        _inCall = true;
        await Task.Delay(milliseconds);
        _inCall = false;
    }

    public Task<TimerStats> GetStatsAsync() => Task.FromResult(new TimerStats(_ticks, _ticksDuringCalls, _overlapping));

    private async Task OnTickAsync(CancellationToken cancellationToken)
    {
        if (_inTick)
        {
            _overlapping++;
        }

        _inTick = true;
        _ticks++;
        if (_inCall)
        {
            _ticksDuringCalls++;
        }

        await Task.Yield();
        _inTick = false;
    }
}
