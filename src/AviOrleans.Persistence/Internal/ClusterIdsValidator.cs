using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace AviOrleans.Persistence.Internal;

/// <summary>The cluster and service ids must fit the tables' id columns: checked at start rather than on the first write.</summary>
internal sealed class ClusterIdsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var errors = new List<string>();
        OptionChecks.CheckId(errors, $"{nameof(ClusterOptions)}.{nameof(options.ClusterId)}", options.ClusterId);
        OptionChecks.CheckId(errors, $"{nameof(ClusterOptions)}.{nameof(options.ServiceId)}", options.ServiceId);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
