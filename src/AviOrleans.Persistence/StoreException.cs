namespace AviOrleans.Persistence;

/// <summary>
/// A failure of one of the stores (SQLite or PostgreSQL) that Orleans and the HA layer keep their state in. The
/// message names the store (file path, or host, port, database and schema, never credentials), what was being
/// done, and the cause, so that a host can print it as its one-line start error.
/// </summary>
public abstract class StoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected StoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// The first <see cref="StoreException"/> in <paramref name="exception"/>, its inner exceptions and the inner
    /// exceptions of aggregates, or null: Orleans wraps a provider's failure during silo start
    /// (for example in a lifecycle exception), and a host wants the store's own message.
    /// </summary>
    public static StoreException? FindIn(Exception? exception)
    {
        var pending = new Stack<Exception>();
        if (exception is not null)
        {
            pending.Push(exception);
        }

        // Bounded, so that a cyclic chain (never built by .NET, but possible by hand) cannot loop.
        for (var seen = 0; pending.Count > 0 && seen < 64; seen++)
        {
            var current = pending.Pop();
            if (current is StoreException store)
            {
                return store;
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Reverse())
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is not null)
            {
                pending.Push(current.InnerException);
            }
        }

        return null;
    }
}
