using AviOrleans.Domain;
using AviOrleans.Grains;
using AviOrleans.Silo.Configuration;

namespace AviOrleans.Silo.Run;

/// <summary>
/// The control plane the gateway serves, the same in a silo and in a gateway-only process: today the in-process
/// <see cref="InMemoryHaControlPlane"/> (memory, or a state file), optionally loaded from a configuration file,
/// until the HA grains take its place.
/// </summary>
internal static class ControlPlaneSetup
{
    /// <summary>Opens the control plane; null (after writing the reason to <paramref name="error"/>) when it cannot.</summary>
    public static async Task<InMemoryHaControlPlane?> OpenAsync(string? stateFile, string? configFile, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        InMemoryHaControlPlane controlPlane;
        try
        {
            controlPlane = stateFile is null ? new InMemoryHaControlPlane() : InMemoryHaControlPlane.Open(stateFile);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"{SiloCommands.Name}: {ex.Message}");
            return null;
        }

        if (configFile is null)
        {
            return controlPlane;
        }

        if ((await controlPlane.ListServiceEngineGroupsAsync(cancellationToken)).Count > 0)
        {
            // The state file already holds a configuration: it wins, so that a restart with the
            // same command line does not replay the file over later changes.
            await output.WriteLineAsync($"{stateFile} holds a configuration; {configFile} is not loaded.");
            return controlPlane;
        }

        if (await LoadAsync(configFile, controlPlane, error, cancellationToken))
        {
            return controlPlane;
        }

        await controlPlane.DisposeAsync();
        return null;
    }

    // Loads the file through the control plane, object by object, so that it is validated as any
    // API change is: groups, then SEs, shared VIPs and virtual services.
    private static async Task<bool> LoadAsync(string path, InMemoryHaControlPlane controlPlane, TextWriter error, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"{SiloCommands.Name}: cannot read {path}: {ex.Message}");
            return false;
        }

        var (configuration, violations) = ConfigurationLoader.Parse(json);
        if (configuration is null || violations.Count > 0)
        {
            await error.WriteLineAsync($"{SiloCommands.Name}: {path} is invalid:");
            foreach (var v in violations)
            {
                await error.WriteLineAsync($"  {v.FieldPath}: {v.Description}");
            }

            return false;
        }

        try
        {
            foreach (var g in configuration.ServiceEngineGroups)
            {
                await controlPlane.CreateServiceEngineGroupAsync(g, false, cancellationToken);
            }

            foreach (var se in configuration.ServiceEngines)
            {
                await controlPlane.CreateServiceEngineAsync(se, false, cancellationToken);
            }

            foreach (var vsVip in configuration.VsVips)
            {
                await controlPlane.CreateVsVipAsync(vsVip, false, cancellationToken);
            }

            foreach (var vs in configuration.VirtualServices)
            {
                await controlPlane.CreateVirtualServiceAsync(vs, false, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is HaValidationException or HaObjectExistsException or HaOperationRejectedException or HaObjectNotFoundException)
        {
            await error.WriteLineAsync($"{SiloCommands.Name}: {path} could not be loaded: {ex.Message}");
            return false;
        }

        return true;
    }
}
