using AviOrleans.Grains;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace AviOrleans.Gateway.Internal;

/// <summary>Read-modify-write of an Update: retried when another change slipped in between.</summary>
internal static class Updates
{
    /// <summary>How many times an update is tried before ABORTED reaches the client.</summary>
    public const int Attempts = 5;

    public static async Task<T> RetryAsync<T>(Func<Task<T>> readModifyWrite)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await readModifyWrite();
            }
            catch (HaConflictException) when (attempt < Attempts)
            {
                // The object changed between our read and our write: read it again.
            }
        }
    }

    /// <summary>
    /// An Update with a field mask: the patch and its name are required and the mask is checked once; then the
    /// current object is read, the masked fields are merged in, the result is validated as a whole by
    /// <paramref name="toDomain"/> and written, all retried as in <see cref="RetryAsync{T}"/>.
    /// </summary>
    /// <param name="patch">The request's resource.</param>
    /// <param name="mask">The request's update_mask (empty: the fields set in the patch).</param>
    /// <param name="rules">The resource's field and the fields a mask may not name.</param>
    /// <param name="name">The patch's name, which selects the object.</param>
    /// <param name="read">Reads the current object by name.</param>
    /// <param name="toApi">The current object as the API shows it, to merge into.</param>
    /// <param name="toDomain">The merged object back to the domain, validated (the current object is at hand for fields the API does not carry).</param>
    /// <param name="write">Writes (current, updated) and returns the response.</param>
    public static async Task<TResult> PatchAsync<TApi, TDomain, TResult>(
        TApi? patch,
        FieldMask? mask,
        UpdateRules rules,
        Func<TApi, string> name,
        Func<string, Task<TDomain>> read,
        Func<TDomain, TApi> toApi,
        Func<TApi, TDomain, TDomain> toDomain,
        Func<TDomain, TDomain, Task<TResult>> write)
        where TApi : class, IMessage<TApi>, IDeepCloneable<TApi>
    {
        var required = Requests.Required(patch, rules.Field);
        var key = Requests.Required(name(required), rules.Field + ".name");
        var fields = FieldMasks.Resolve(required, mask, rules.Immutable, rules.OutputOnly);
        return await RetryAsync(async () =>
        {
            var current = await read(key);
            var merged = FieldMasks.Apply(toApi(current), required, fields);
            return await write(current, toDomain(merged, current));
        });
    }
}
