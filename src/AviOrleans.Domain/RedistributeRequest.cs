namespace AviOrleans.Domain;

/// <summary>
/// <c>POST /serviceenginegroup/{uuid}/redistribute</c>: manual legacy failback; with distribute-load every VS goes back
/// to the SE its <c>active_standby_se_tag</c> names, with <c>floating_intf_ip_se_2</c> (AS-40).
/// </summary>
public sealed record RedistributeRequest : PlacementRequest
{
    /// <inheritdoc/>
    public override string Describe() => "redistribute";
}
