using AviOrleans.Grains.Internal;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Grains;

/// <summary>One address's one user (see <see cref="IAddressClaimGrain"/>).</summary>
internal sealed class AddressClaimGrain(
    [PersistentState("claim", HaRegistry.StorageName)] IPersistentState<AddressClaimState> state,
    ILogger<AddressClaimGrain> logger) : Grain, IAddressClaimGrain
{
    public async Task<AddressUser?> ClaimAsync(AddressUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (state.State.Holder is { } holder && !holder.IsSameObject(user))
        {
            if (await HolderStillUsesAsync(holder))
            {
                return holder;
            }

            GrainLog.StaleClaimReleased(logger, this.GetPrimaryKeyString(), holder.Description);
        }

        if (state.State.Holder != user)
        {
            state.State.Holder = user;
            await state.SaveAsync($"the claim of {this.GetPrimaryKeyString()}");
        }

        return null;
    }

    public async Task ReleaseAsync(AddressUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (state.State.Holder is { } holder && holder.IsSameObject(user))
        {
            await state.ForgetAsync($"the claim of {this.GetPrimaryKeyString()}");
            state.State.Holder = null;
        }
    }

    // A claim is only as good as its holder's committed (or in-flight) configuration: one left
    // behind by a change that failed half-way is given up.
    private Task<bool> HolderStillUsesAsync(AddressUser holder)
    {
        var address = this.GetPrimaryKeyString();
        return holder.Kind switch
        {
            "virtualservice" => GrainFactory.GetGrain<IVirtualServiceGrain>(holder.Name).UsesAddressAsync(address),
            "vsvip" => GrainFactory.GetGrain<IVsVipGrain>(holder.Name).UsesAddressAsync(address),
            "serviceenginegroup" => GrainFactory.GetGrain<IServiceEngineGroupGrain>(holder.Name).UsesAddressAsync(address),
            _ => Task.FromResult(true),
        };
    }
}

/// <summary>The persisted holder of an address.</summary>
[GenerateSerializer, Alias("avi.AddressClaimState")]
internal sealed class AddressClaimState
{
    [Id(0)]
    public AddressUser? Holder { get; set; }
}
