using System.Collections.Immutable;
using System.Text.Json;
using AviOrleans.Domain;

namespace AviOrleans.Grains.Internal;

/// <summary>
/// The control plane's state saved as one JSON file: the configuration, each group's placement
/// (with its epochs, so that they keep growing across restarts) and the change times. Written to a
/// temporary file, flushed to disk, then renamed over the old one: a crash leaves the old state or
/// the new one, never a torn file.
/// </summary>
internal sealed class StateFile
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public StateFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    /// <summary>The saved state, or null when the file does not exist yet.</summary>
    /// <exception cref="InvalidDataException">The file cannot be read as a valid state.</exception>
    public ControlPlaneState? Load()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        Snapshot? snapshot;
        try
        {
            snapshot = JsonSerializer.Deserialize<Snapshot>(File.ReadAllBytes(Path), Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The state file {Path} is not a control-plane state: {ex.Message}", ex);
        }

        if (snapshot?.Configuration is null)
        {
            throw new InvalidDataException($"The state file {Path} holds no configuration.");
        }

        var violations = ConfigurationValidator.Validate(snapshot.Configuration);
        if (violations.Count > 0)
        {
            throw new InvalidDataException($"The state file {Path} holds an invalid configuration: {string.Join("; ", violations)}");
        }

        return new ControlPlaneState(
            snapshot.Configuration,
            (snapshot.Placements ?? []).ToImmutableDictionary(p => p.SeGroupRef, StringComparer.Ordinal),
            (snapshot.LastChanged ?? []).ToImmutableDictionary(StringComparer.Ordinal));
    }

    /// <summary>Saves <paramref name="state"/>; when this returns, it is on disk.</summary>
    public void Save(ControlPlaneState state)
    {
        var snapshot = new Snapshot
        {
            Configuration = state.Configuration,
            Placements = [.. state.Placements.Values.OrderBy(p => p.SeGroupRef, StringComparer.Ordinal)],
            LastChanged = new Dictionary<string, DateTimeOffset>(state.LastChanged, StringComparer.Ordinal),
        };
        var temporary = Path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, snapshot, Options);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
    }

    private sealed class Snapshot
    {
        public HaConfiguration? Configuration { get; set; }

        public List<GroupPlacement>? Placements { get; set; }

        public Dictionary<string, DateTimeOffset>? LastChanged { get; set; }
    }
}
