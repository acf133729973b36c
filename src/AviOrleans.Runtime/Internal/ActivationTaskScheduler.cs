namespace AviOrleans.Runtime.Internal;

/// <summary>
/// Runs one activation's work one task at a time on the thread pool. Grain code awaits without
/// ConfigureAwait(false), so its continuations come back here: that is what keeps even a reentrant grain
/// single-threaded, and what makes a turn a turn.
/// </summary>
internal sealed class ActivationTaskScheduler : TaskScheduler, IThreadPoolWorkItem
{
    // Tasks run per thread-pool visit before yielding the thread, so one busy activation cannot starve others.
    private const int Quantum = 64;

    [ThreadStatic]
    private static ActivationTaskScheduler? t_running;

    private readonly Lock _lock = new();
    private readonly Queue<Task> _tasks = new();
    private bool _scheduled;

    public override int MaximumConcurrencyLevel => 1;

    public void Execute()
    {
        t_running = this;
        try
        {
            for (var i = 0; i < Quantum; i++)
            {
                Task? task;
                lock (_lock)
                {
                    if (!_tasks.TryDequeue(out task))
                    {
                        _scheduled = false;
                        return;
                    }
                }

                TryExecuteTask(task);
            }
        }
        finally
        {
            t_running = null;
        }

        lock (_lock)
        {
            if (_tasks.Count == 0)
            {
                _scheduled = false;
                return;
            }
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    protected override void QueueTask(Task task)
    {
        lock (_lock)
        {
            _tasks.Enqueue(task);
            if (_scheduled)
            {
                return;
            }

            _scheduled = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
    }

    // Inline only on the thread that is already running this activation: anything else would break the one-at-a-time rule.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        !taskWasPreviouslyQueued && t_running == this && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_lock)
        {
            return [.. _tasks];
        }
    }
}
