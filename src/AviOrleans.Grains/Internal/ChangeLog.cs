namespace AviOrleans.Grains.Internal;

/// <summary>
/// A bounded, in-order log of changes with sequence numbers, for watches that resume: a reader
/// asks for everything after the sequence it saw last, and learns when that is no longer held
/// (the log dropped it, or the sequence is from another process), so that it can start over from
/// a snapshot. Memory stays bounded whatever the readers do.
/// </summary>
/// <typeparam name="T">The change type.</typeparam>
internal sealed class ChangeLog<T>
{
    private readonly object _lock = new();
    private readonly Queue<(long Sequence, T Item)> _items = new();
    private readonly int _capacity;
    private long _head;
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a log that keeps the last <paramref name="capacity"/> changes.</summary>
    /// <param name="capacity">How many changes are kept.</param>
    /// <param name="start">
    /// The head before the first change. A log that starts above any sequence an earlier process
    /// handed out (e.g. from the clock) refuses those as resume points instead of misreading them.
    /// </param>
    public ChangeLog(int capacity, long start = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        _capacity = capacity;
        _head = start;
    }

    /// <summary>The sequence of the last change appended (the start before the first).</summary>
    public long Head
    {
        get
        {
            lock (_lock)
            {
                return _head;
            }
        }
    }

    /// <summary>Appends changes in order, numbering them, and wakes the readers; returns the new head.</summary>
    public long Append(IReadOnlyList<Func<long, T>> makeItems)
    {
        TaskCompletionSource appended;
        lock (_lock)
        {
            if (makeItems.Count == 0)
            {
                return _head;
            }

            foreach (var make in makeItems)
            {
                _head++;
                _items.Enqueue((_head, make(_head)));
                if (_items.Count > _capacity)
                {
                    _items.Dequeue();
                }
            }

            appended = _appended;
            _appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        appended.TrySetResult();
        return Head;
    }

    /// <summary>
    /// The changes after <paramref name="after"/>, and a task that completes at the next append.
    /// Returns false when the log no longer holds every change after <paramref name="after"/>
    /// (or never did: a sequence beyond the head comes from an earlier process).
    /// </summary>
    public bool TryReadAfter(long after, out IReadOnlyList<(long Sequence, T Item)> items, out Task nextAppend)
    {
        lock (_lock)
        {
            nextAppend = _appended.Task;
            var oldest = _items.Count == 0 ? _head + 1 : _items.Peek().Sequence;
            if (after > _head || after < oldest - 1)
            {
                items = [];
                return false;
            }

            items = [.. _items.Where(i => i.Sequence > after)];
            return true;
        }
    }
}
