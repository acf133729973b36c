using System.Security.Cryptography;
using AviOrleans.Runtime.Hosting;

namespace AviOrleans.Silo.Serve.Internal;

/// <summary>Reads the cluster key (base64 text), or generates the loopback default into the data folder.</summary>
internal static class ClusterKeyFile
{
    /// <summary>The name of the generated key file inside the data folder.</summary>
    public const string GeneratedFileName = "cluster.key";

    private const int GeneratedKeyLength = 32;

    /// <summary>Reads a key file; throws <see cref="FormatException"/> when it holds no valid key.</summary>
    public static byte[] Read(string path)
    {
        var text = File.ReadAllText(path).Trim();
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new FormatException($"{path} does not hold a base64 cluster key.");
        }

        if (key.Length < SiloOptionsValidator.MinClusterKeyLength)
        {
            throw new FormatException($"{path} holds a cluster key of {key.Length} bytes; at least {SiloOptionsValidator.MinClusterKeyLength} are needed.");
        }

        return key;
    }

    /// <summary>
    /// Returns the key stored in <paramref name="dataDirectory"/>, creating it (random, mode 0600) the first
    /// time, so that every restart of the silo on this host keeps the same key.
    /// </summary>
    public static byte[] ReadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, GeneratedFileName);
        if (File.Exists(path))
        {
            return Read(path);
        }

        Directory.CreateDirectory(dataDirectory);
        var key = RandomNumberGenerator.GetBytes(GeneratedKeyLength);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Owner only from the first byte on: the key authenticates every silo and client.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, options))
        {
            writer.WriteLine(Convert.ToBase64String(key));
        }

        return key;
    }
}
