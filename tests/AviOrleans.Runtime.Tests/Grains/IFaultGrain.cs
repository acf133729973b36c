using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Tests.Grains;

public interface IFaultGrain : IGrainWithStringKey
{
    Task ThrowInvalidOperationAsync(string message);

    Task ThrowCustomAsync(string message);

    Task<string> DelayAsync(int milliseconds);

    /// <summary>Calls <paramref name="target"/>'s fault grain and rethrows what it threw (a silo-to-silo call).</summary>
    Task RelayInvalidOperationAsync(string target, string message);

    Task<string> GetSiloNameAsync();
}
