namespace AviOrleans.Grains.DataPlane;

/// <summary>Silo-local: when may addresses owned by a dead SE be given to another SE without both answering?</summary>
public interface ITakeoverGate
{
    /// <summary>
    /// Completes once the SE named <paramref name="seName"/> can no longer be answering for any
    /// address (it is Dead in the membership table AND its fencing window has run out, judged
    /// consistently), or throws when that cannot be established (e.g. the store is unreachable:
    /// then nothing moves).
    /// </summary>
    Task WaitUntilFencedAsync(string seName, CancellationToken cancellationToken);
}
