using AviOrleans.Grains.DataPlane;
using AviOrleans.Silo.Hosting;

namespace AviOrleans.Silo;

/// <summary>Entry point of <c>aviorleans-silo</c>.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // The data plane's guard: a child the silo starts that removes the silo's addresses if the silo dies
        // without doing so itself. It re-runs this executable with its own command.
        if (VipGuardProcess.IsGuardCommand(args))
        {
            return await VipGuardProcess.RunAsync(args);
        }

        // A container's main process: the silo runs as its child, so that the guard outlives a crashed silo.
        if (ContainerInit.IsNeeded())
        {
            return await ContainerInit.RunAsync(args);
        }

        return SiloCommands.Run(args);
    }
}
