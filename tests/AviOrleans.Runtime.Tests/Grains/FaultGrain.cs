using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Tests.Grains;

public sealed class FaultGrain : Grain, IFaultGrain
{
    public Task ThrowInvalidOperationAsync(string message) => throw new InvalidOperationException(message);

    public Task ThrowCustomAsync(string message) => throw new CustomGrainException(message);

    public async Task<string> DelayAsync(int milliseconds)
    {
        await Task.Delay(milliseconds);
        return "done";
    }

    public Task RelayInvalidOperationAsync(string target, string message) =>
        GrainFactory.GetGrain<IFaultGrain>(target).ThrowInvalidOperationAsync(message);

    public Task<string> GetSiloNameAsync() => Task.FromResult(Context.SiloName);
}
