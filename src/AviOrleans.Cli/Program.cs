namespace AviOrleans.Cli;

/// <summary>Entry point of avictl.</summary>
public static class Program
{
    /// <summary>Runs avictl; Ctrl+C stops the command (and ends a watch normally).</summary>
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await AvictlApp.RunAsync(args, Console.Out, Console.Error, cancellationToken: cancel.Token);
    }
}
