namespace AviOrleans.Cli;

/// <summary>Entry point of avictl.</summary>
public static class Program
{
    /// <summary>Runs avictl.</summary>
    public static int Main(string[] args) => args.Length;
}
