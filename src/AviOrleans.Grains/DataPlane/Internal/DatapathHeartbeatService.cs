using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>
/// Answers datapath heartbeats (<see cref="IDatapathHeartbeatService"/>). A confirmation is this silo's word that the
/// sender is a live member: given only while this silo itself holds fresh evidence, sees the sender Active, has not
/// released it to a takeover gate, and shares its fencing values; each one is recorded in the ledger.
/// </summary>
internal sealed partial class DatapathHeartbeatService(
    GrainId grainId,
    Silo silo,
    ILoggerFactory loggerFactory,
    ConfirmationLedger ledger,
    PeerContacts contacts,
    LivenessEvidence evidence,
    IClusterMembershipService membership,
    IVipOwnership ownership,
    IOptions<DataPlaneOptions> options) : GrainService(grainId, silo, loggerFactory), IDatapathHeartbeatService
{
    private readonly FencingParameters _parameters = options.Value.Parameters;
    private readonly ILogger _logger = loggerFactory.CreateLogger<DatapathHeartbeatService>();

    public Task<HeartbeatReply> PingAsync(HeartbeatPing ping, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ping);
        contacts.Heard(ping.From);
        var reason = ping.Parameters != _parameters
            ? $"fencing values differ (sender {ping.Parameters}, responder {_parameters})"
            : !evidence.IsLive()
                ? "the responder is fenced itself"
                : membership.CurrentSnapshot.GetSiloStatus(ping.From) != SiloStatus.Active
                    ? "the sender is not Active in the responder's membership view"
                    : !ledger.TryConfirm(ping.From)
                        ? "the sender was released to a takeover gate"
                        : null;
        if (reason is not null && ping.Parameters != _parameters)
        {
            Log.ParametersDiffer(_logger, ping.From, ping.Parameters, _parameters);
        }

        return Task.FromResult(new HeartbeatReply(reason is null, reason, HeldGroups(ownership)));
    }

    public Task<ImmutableArray<ConfirmationAge>> ReleaseConfirmationsAsync(ImmutableArray<SiloAddress> silos, CancellationToken cancellationToken)
    {
        var ages = ledger.Release(silos);
        foreach (var released in silos)
        {
            Log.Released(_logger, released);
        }

        return Task.FromResult(ages);
    }

    /// <remarks>A silo that is fenced itself (or dead) is no witness: it answers null.</remarks>
    public Task<TimeSpan?> GetSilenceAsync(SiloAddress silo, CancellationToken cancellationToken) =>
        Task.FromResult(evidence.IsLive() ? contacts.SilenceOf(silo) : null);

    /// <summary>The groups whose addresses this host holds, as heartbeats carry them.</summary>
    internal static string[] HeldGroups(IVipOwnership ownership) =>
        [.. ownership.Applied.Where(a => !a.Value.Addresses.IsDefaultOrEmpty).Select(a => a.Key)];

    private static partial class Log
    {
        [LoggerMessage(EventId = 6120, Level = LogLevel.Error, Message = "Silo {Sender} runs with other fencing values ({Theirs}, ours {Ours}): it is never confirmed; every silo must share them")]
        public static partial void ParametersDiffer(ILogger logger, SiloAddress sender, FencingParameters theirs, FencingParameters ours);

        [LoggerMessage(EventId = 6121, Level = LogLevel.Information, Message = "Silo {Silo} released to a takeover gate: never confirmed again")]
        public static partial void Released(ILogger logger, SiloAddress silo);
    }
}
