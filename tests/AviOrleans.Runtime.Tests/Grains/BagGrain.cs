using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Tests.Grains;

public sealed class BagGrain : Grain, IBagGrain
{
    private List<string> _items = [];

    public Task<List<string>> KeepAsync(List<string> items)
    {
        _items = items;
        return Task.FromResult(_items);
    }

    public Task<int> CountAsync() => Task.FromResult(_items.Count);
}
