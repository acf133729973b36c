namespace AviOrleans.Silo.Hosting.Internal;

/// <summary>
/// The process's standard output as the host's services see it (the command's writer: the console, or a test's
/// writer). Lines are written whole and flushed, so that a reader of the process's output sees each at once.
/// </summary>
internal sealed class SiloOutput
{
    private readonly Lock _sync = new();
    private readonly TextWriter _writer;

    public SiloOutput(TextWriter writer) => _writer = writer;

    public void WriteLine(string line)
    {
        lock (_sync)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }
}
