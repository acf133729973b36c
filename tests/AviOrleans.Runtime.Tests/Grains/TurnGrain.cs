using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Tests.Grains;

public sealed class TurnGrain : Grain, ITurnGrain
{
    private readonly string _activationId = Guid.NewGuid().ToString("N");
    private int _inside;
    private int _maxInside;
    private int _sequence;

    public async Task<TurnRecord> EnterAsync()
    {
        // Plain (non-atomic) updates on purpose: the turn discipline is what must make them safe.
        _inside++;
        _maxInside = Math.Max(_maxInside, _inside);
        var sequence = ++_sequence;
        await Task.Yield();
        _maxInside = Math.Max(_maxInside, _inside);
        _inside--;
        return new TurnRecord(_activationId, sequence, Context.SiloName);
    }

    public Task<int> GetMaxConcurrencyAsync() => Task.FromResult(_maxInside);
}
