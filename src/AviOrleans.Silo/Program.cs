namespace AviOrleans.Silo;

/// <summary>Entry point of <c>aviorleans-silo</c>.</summary>
internal static class Program
{
    public static int Main(string[] args) => SiloCommands.Run(args);
}
