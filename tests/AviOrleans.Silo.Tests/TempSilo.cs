using AviOrleans.Silo.Serve;

namespace AviOrleans.Silo.Tests;

/// <summary>Silo options for <c>serve</c> in a test: a fresh temporary data folder, any free silo port.</summary>
internal sealed class TempSilo : IDisposable
{
    public TempSilo(string siloName = "test-silo")
    {
        DataDirectory = Directory.CreateTempSubdirectory("aviorleans-silo-").FullName;
        Options = new SiloHostOptions { DataDirectory = DataDirectory, SiloName = siloName, SiloPort = 0 };
    }

    public string DataDirectory { get; }

    public SiloHostOptions Options { get; }

    public void Dispose() => Directory.Delete(DataDirectory, recursive: true);
}
