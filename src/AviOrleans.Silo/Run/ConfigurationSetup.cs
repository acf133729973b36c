using AviOrleans.Domain;
using AviOrleans.Grains;
using AviOrleans.Silo.Configuration;

namespace AviOrleans.Silo.Run;

/// <summary>
/// The <c>--config</c> file of a silo or a gateway process: read and checked before anything starts, then loaded
/// through the HA grains' control plane once the process is a member of the cluster. The cluster's store keeps the
/// configuration: a store that already holds one wins, so that a restart with the same command line (or a second
/// silo given the same file) does not replay the file over later changes.
/// </summary>
internal static class ConfigurationSetup
{
    /// <summary>The file's configuration; null (after writing why to <paramref name="error"/>) when it cannot be read or is invalid.</summary>
    public static async Task<HaConfiguration?> ReadAsync(string path, TextWriter error, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"{SiloCommands.Name}: cannot read {path}: {ex.Message}");
            return null;
        }

        var (configuration, violations) = ConfigurationLoader.Parse(json);
        if (configuration is not null && violations.Count == 0)
        {
            return configuration;
        }

        await error.WriteLineAsync($"{SiloCommands.Name}: {path} is invalid:");
        foreach (var v in violations)
        {
            await error.WriteLineAsync($"  {v.FieldPath}: {v.Description}");
        }

        return null;
    }

    /// <summary>
    /// Loads <paramref name="configuration"/> object by object (groups, then SEs, shared VIPs and virtual services), so
    /// that it is validated as any API change is; false (after writing why to <paramref name="error"/>) when the
    /// control plane refused an object.
    /// </summary>
    public static async Task<bool> LoadAsync(string path, HaConfiguration configuration, IHaControlPlane controlPlane, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var loaded = 0;
        try
        {
            if ((await controlPlane.ListServiceEngineGroupsAsync(cancellationToken)).Count > 0)
            {
                await output.WriteLineAsync($"the cluster's store holds a configuration; {path} is not loaded.");
                return true;
            }

            foreach (var g in configuration.ServiceEngineGroups)
            {
                loaded += await CreateAsync(() => controlPlane.CreateServiceEngineGroupAsync(g, false, cancellationToken));
            }

            foreach (var se in configuration.ServiceEngines)
            {
                loaded += await CreateAsync(() => controlPlane.CreateServiceEngineAsync(se, false, cancellationToken));
            }

            foreach (var vsVip in configuration.VsVips)
            {
                loaded += await CreateAsync(() => controlPlane.CreateVsVipAsync(vsVip, false, cancellationToken));
            }

            foreach (var vs in configuration.VirtualServices)
            {
                loaded += await CreateAsync(() => controlPlane.CreateVirtualServiceAsync(vs, false, cancellationToken));
            }
        }
        catch (Exception ex) when (ex is HaValidationException or HaOperationRejectedException or HaObjectNotFoundException or HaStorageException)
        {
            await error.WriteLineAsync($"{SiloCommands.Name}: {path} could not be loaded: {ex.Message}");
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM while loading: the process stops as asked; what was loaded stays in the store.
            return true;
        }

        await output.WriteLineAsync($"{path} loaded ({loaded} objects).");
        return true;
    }

    // Another member given the same file may be loading it at the same moment: an object it created first is there.
    private static async Task<int> CreateAsync<T>(Func<Task<T>> create)
    {
        try
        {
            await create();
            return 1;
        }
        catch (HaObjectExistsException)
        {
            return 0;
        }
    }
}
