using AviOrleans.Persistence.Internal;
using Microsoft.Extensions.Options;

namespace AviOrleans.Persistence;

/// <summary>Checks <see cref="PostgreSqlStoreOptions"/> when the host starts (registered with <c>ValidateOnStart</c>).</summary>
public sealed class PostgreSqlStoreOptionsValidator : IValidateOptions<PostgreSqlStoreOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
    {
        var errors = OptionChecks.Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
