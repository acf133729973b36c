using Npgsql;

namespace AviOrleans.Persistence.Internal;

/// <summary>The checks behind the options' validators and their <c>Validate()</c> methods: one list of every problem.</summary>
internal static class OptionChecks
{
    /// <summary>The longest cluster or service id the tables hold.</summary>
    public const int MaxIdLength = 150;

    private static readonly TimeSpan MaxCommandTimeout = TimeSpan.FromHours(1);

    public static List<string> Check(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add($"{nameof(options.DataDirectory)} must name a folder.");
        }
        else if (options.DataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            errors.Add($"{nameof(options.DataDirectory)} '{options.DataDirectory}' is not a valid path.");
        }

        if (string.IsNullOrWhiteSpace(options.FileName) || options.FileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0
            || options.FileName is "." or "..")
        {
            errors.Add($"{nameof(options.FileName)} must be a plain file name, got '{options.FileName}'.");
        }

        CheckTimeout(errors, nameof(options.CommandTimeout), options.CommandTimeout);
        return errors;
    }

    public static List<string> Check(PostgreSqlStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{nameof(options.ConnectionString)} is required.");
        }
        else
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.Host))
                {
                    errors.Add($"{nameof(options.ConnectionString)} must name a host (Host=...).");
                }
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                // The message of a bad keyword or value names it; the connection string itself may hold a password.
                errors.Add($"{nameof(options.ConnectionString)} is not a valid Npgsql connection string: {ex.Message}");
            }
        }

        if (!IsPlainIdentifier(options.Schema))
        {
            errors.Add($"{nameof(options.Schema)} must be a plain lower-case identifier of at most 63 characters, got '{options.Schema}'.");
        }

        CheckTimeout(errors, nameof(options.CommandTimeout), options.CommandTimeout);
        if (options.CommandTimeout > TimeSpan.Zero && options.CommandTimeout.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            errors.Add($"{nameof(options.CommandTimeout)} must be whole seconds, got {options.CommandTimeout}.");
        }

        return errors;
    }

    public static List<string> Check(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        switch (options.Kind)
        {
            case StoreKind.Sqlite when options.Sqlite is null:
                errors.Add($"{nameof(options.Sqlite)} options are required for {StoreKind.Sqlite}.");
                break;
            case StoreKind.Sqlite:
                errors.AddRange(Check(options.Sqlite).Select(e => $"{nameof(options.Sqlite)}.{e}"));
                break;
            case StoreKind.PostgreSql when options.PostgreSql is null:
                errors.Add($"{nameof(options.PostgreSql)} options are required for {StoreKind.PostgreSql}.");
                break;
            case StoreKind.PostgreSql:
                errors.AddRange(Check(options.PostgreSql).Select(e => $"{nameof(options.PostgreSql)}.{e}"));
                break;
            default:
                errors.Add($"{nameof(options.Kind)} must be {StoreKind.Sqlite} or {StoreKind.PostgreSql}, got {options.Kind}.");
                break;
        }

        if (string.IsNullOrWhiteSpace(options.GrainStorageName))
        {
            errors.Add($"{nameof(options.GrainStorageName)} is required.");
        }

        return errors;
    }

    public static void CheckId(List<string> errors, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{name} is required.");
        }
        else if (value.Length > MaxIdLength)
        {
            errors.Add($"{name} must be at most {MaxIdLength} characters, got {value.Length}.");
        }
    }

    public static bool IsPlainIdentifier(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 63 || char.IsAsciiDigit(value[0]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    public static void ThrowIfAny(List<string> errors, string optionsName)
    {
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {optionsName}: {string.Join(" ", errors)}");
        }
    }

    private static void CheckTimeout(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > MaxCommandTimeout)
        {
            errors.Add($"{name} must be more than zero and at most one hour, got {value}.");
        }
    }
}
