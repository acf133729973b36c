namespace AviOrleans.Grains;

/// <summary>What applying an order did to one address (<see cref="AddressOutcome.Action"/>).</summary>
[GenerateSerializer, Alias("avi.AddressAction")]
public enum AddressAction
{
    /// <summary>The host did not own it and now does.</summary>
    Added = 0,

    /// <summary>The host owned it and no longer does.</summary>
    Removed = 1,

    /// <summary>The host owned it already and keeps it.</summary>
    Kept = 2,

    /// <summary>The host could not add or remove it (see <see cref="AddressOutcome.Error"/>).</summary>
    Failed = 3,
}
