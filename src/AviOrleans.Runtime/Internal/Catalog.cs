using System.Collections.Concurrent;
using AviOrleans.Runtime.CodeGeneration;

namespace AviOrleans.Runtime.Internal;

/// <summary>The activations of one silo, by grain id: at most one per grain on this silo.</summary>
internal sealed class Catalog(SiloRuntime silo)
{
    private readonly ConcurrentDictionary<GrainId, Activation> _activations = new();

    public int Count => _activations.Count;

    public IEnumerable<Activation> Activations => _activations.Values;

    /// <summary>Hands a call to the grain's activation here, creating the activation on first call.</summary>
    public void Dispatch(GrainRequest request)
    {
        while (true)
        {
            if (!_activations.TryGetValue(request.Target, out var activation))
            {
                if (silo.Grains.Find(request.Target.Type) is not { } grainClass)
                {
                    silo.Calls.Remove(request);
                    request.Fail(new InvalidOperationException($"Silo {silo.SiloName} has no grain class registered for grain type '{request.Target.Type}'."));
                    return;
                }

                activation = _activations.GetOrAdd(request.Target, static (id, arg) => new Activation(arg.silo, id, arg.grainClass), (silo, grainClass));
            }

            if (activation.TryEnqueue(request))
            {
                return;
            }

            // That activation is gone; it removes itself, so the next lookup creates a fresh one.
            _activations.TryRemove(new KeyValuePair<GrainId, Activation>(request.Target, activation));
        }
    }

    public bool TryGet(GrainId grainId, out Activation activation) => _activations.TryGetValue(grainId, out activation!);

    public void Remove(Activation activation) =>
        _activations.TryRemove(new KeyValuePair<GrainId, Activation>(activation.GrainId, activation));
}
