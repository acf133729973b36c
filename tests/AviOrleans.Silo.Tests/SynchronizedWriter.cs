namespace AviOrleans.Silo.Tests;

/// <summary>A StringWriter that the host's threads and the test may use at the same time.</summary>
internal sealed class SynchronizedWriter : StringWriter
{
    private readonly Lock _lock = new();

    public override void Write(char value)
    {
        lock (_lock)
        {
            base.Write(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_lock)
        {
            base.Write(value);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_lock)
        {
            base.WriteLine(value);
        }
    }

    public override string ToString()
    {
        lock (_lock)
        {
            return base.ToString();
        }
    }
}
