using AviOrleans.Persistence.Internal;
using Microsoft.Extensions.Options;

namespace AviOrleans.Persistence;

/// <summary>Checks <see cref="SqliteStoreOptions"/> when the host starts (registered with <c>ValidateOnStart</c>).</summary>
public sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        var errors = OptionChecks.Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
