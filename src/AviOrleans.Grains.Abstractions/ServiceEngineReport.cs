using System.Collections.Immutable;

namespace AviOrleans.Grains;

/// <summary>What an SE's host says about itself (<see cref="IServiceEngineGrain.GetReportAsync"/>).</summary>
/// <param name="SeName">The SE (its silo's name).</param>
/// <param name="Applied">The last order applied for each group, by group name order.</param>
/// <param name="Fenced">True while the host cannot confirm it is a live member: it owns no address then.</param>
/// <param name="MovesAddresses">False when the host only logs what it would own (no VIP interface or no CAP_NET_ADMIN).</param>
/// <param name="Healthy">The host's own verdict on its data path.</param>
/// <param name="CpuPercent">The host's CPU use, when measured.</param>
/// <param name="ReportedAt">When the report was made (the host's clock).</param>
/// <param name="SiloName">The name of the silo the SE grain runs on (always the SE's own).</param>
[GenerateSerializer, Immutable, Alias("avi.ServiceEngineReport")]
public sealed record ServiceEngineReport(
    [property: Id(0)] string SeName,
    [property: Id(1)] ImmutableArray<OwnershipOrder> Applied,
    [property: Id(2)] bool Fenced,
    [property: Id(3)] bool MovesAddresses,
    [property: Id(4)] bool Healthy,
    [property: Id(5)] double? CpuPercent,
    [property: Id(6)] DateTimeOffset ReportedAt,
    [property: Id(7)] string SiloName);
