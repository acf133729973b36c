using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using AviOrleans.Runtime.CodeGeneration;
using AviOrleans.Runtime.Hosting;
using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Serialization;
using AviOrleans.Runtime.Storage;
using AviOrleans.Runtime.Transport;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Runtime.Internal;

/// <summary>
/// The inside of a silo: it routes calls (local activation, or the owner's silo), serves connections, keeps the
/// membership view, and runs the lifecycle. <see cref="Silo"/> is its public face.
/// </summary>
internal sealed class SiloRuntime : IGrainFactory, IGrainCallInvoker, IConnectionHandler, IDisposable
{
    private readonly ITransport _transport;
    private readonly IMembershipTable _table;
    private readonly ConcurrentDictionary<SiloAddress, Task<Connection>> _outgoing = new();
    private readonly ConcurrentDictionary<Connection, byte> _incoming = new();
    private readonly Lock _connectLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static readonly TimeSpan HandoffWaitLimit = TimeSpan.FromSeconds(5);
    private readonly long _timestampFrequency;
    private readonly Action<GrainRequest> _resend;
    private ITransportListener? _listener;
    private HandshakeSettings? _handshake;
    private MembershipAgent? _membership;
    private ITimer? _collector;
    private int _state; // 0 created, 1 running, 2 stopping gracefully, 3 stopped
    private int _incomingInFlight;

    public SiloRuntime(
        SiloOptions options, IMembershipTable table, IGrainStateStore stateStore, GrainRegistrations grains,
        TimeProvider time, ITransport transport, ILogger logger)
    {
        Options = options;
        _table = table;
        StateStore = stateStore;
        Grains = grains;
        Time = time;
        _transport = transport;
        Logger = logger;
        _timestampFrequency = time.TimestampFrequency;
        Serializer = new GrainSerializer(options.SerializerContexts);
        Calls = new CallRegistry(time, options.ResponseTimeout);
        Catalog = new Catalog(this);
        _resend = Route;
    }

    public SiloOptions Options { get; }

    public string SiloName => Options.SiloName;

    public SiloAddress SiloAddress { get; private set; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public GrainSerializer Serializer { get; }

    public IGrainStateStore StateStore { get; }

    public GrainRegistrations Grains { get; }

    public CallRegistry Calls { get; }

    public Catalog Catalog { get; }

    public MembershipView View { get; } = new();

    public PlacementDirector Placement { get; } = new();

    public IGrainFactory GrainFactory => this;

    public Task Terminated => _terminated.Task;

    public string? StopReason { get; private set; }

    public bool IsRunning => Volatile.Read(ref _state) == 1;

    /// <summary>Test fault: the silo stops answering probes while everything else goes on (a one-way partition).</summary>
    public bool SuspendProbeResponses { get; set; }

    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        var descriptor = GrainInterfaceRegistry.Get(typeof(TGrainInterface));
        return (TGrainInterface)descriptor.CreateProxy(new GrainId(descriptor.GrainType, key), this);
    }

    public Task<TResult> InvokeAsync<TResult>(GrainId target, GrainRequest<TResult> request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Target = target;
        var result = request.CreatePromise();
        Route(request);
        return result;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("A silo starts once; create a new silo to restart.");
        }

        try
        {
            _listener = await _transport.ListenAsync(Options.Endpoint, cancellationToken).ConfigureAwait(false);
            SiloAddress = new SiloAddress(_listener.LocalEndPoint, GenerationClock.Next(Time));
            _handshake = new HandshakeSettings(Options.ClusterId, Options.ClusterKey, PeerRole.Silo, SiloAddress.ToString(), Time, Options.HandshakeTimeout);
            _ = Task.Run(AcceptLoopAsync, CancellationToken.None);
            _membership = new MembershipAgent(this, _table, Options.Membership, Options.HostName);
            await _membership.JoinAsync(cancellationToken).ConfigureAwait(false);
            var quantum = Options.Collection.CollectionQuantum;
            _collector = Time.CreateTimer(static s => ((SiloRuntime)s!).CollectIdle(), this, quantum, quantum);
            Log.SiloActive(Logger, SiloName, SiloAddress);
        }
        catch (Exception ex)
        {
            Kill("start failed: " + ex.Message);
            throw;
        }
    }

    /// <summary>Graceful stop: leave the cluster, deactivate every activation (they persist), then close.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var previous = Interlocked.CompareExchange(ref _state, 2, 1);
        if (previous == 0)
        {
            Kill("stopped before it started");
            return;
        }

        if (previous != 1)
        {
            await _terminated.Task.ConfigureAwait(false);
            return;
        }

        Log.SiloStopping(Logger, SiloName);
        try
        {
            // Leave the active set first: from here on, calls for our grains are routed to their new owners.
            await _membership!.UpdateMyStatusAsync(SiloStatus.ShuttingDown, cancellationToken).ConfigureAwait(false);
            foreach (var connection in _incoming.Keys.Where(c => c.PeerRole == PeerRole.Client))
            {
                connection.Send(GoAwayFrame.Instance);
            }

            var deactivations = Catalog.Activations.Select(a =>
            {
                a.RequestDeactivation(DeactivationReason.SiloShutdown);
                return a.Deactivated;
            }).ToList();
            await Task.WhenAll(deactivations).WaitAsync(Options.Collection.DeactivationTimeout, Time, cancellationToken).ConfigureAwait(false);

            // Calls this silo passed on while leaving still owe their callers an answer through it.
            var drainDeadline = Time.GetUtcNow() + HandoffWaitLimit;
            while (Volatile.Read(ref _incomingInFlight) > 0 && Time.GetUtcNow() < drainDeadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5), Time, cancellationToken).ConfigureAwait(false);
            }

            await _membership.UpdateMyStatusAsync(SiloStatus.Dead, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Shutdown("stopped gracefully", abort: false);
        }
    }

    /// <summary>Abrupt stop: no goodbye, no table write, no deactivation; connections just die.</summary>
    public void Kill(string reason)
    {
        var previous = Interlocked.Exchange(ref _state, 3);
        if (previous == 3)
        {
            return;
        }

        Log.SiloKilled(Logger, SiloName, reason);
        Shutdown(reason, abort: true);
    }

    public void Dispose()
    {
        Kill("disposed");
        _stopping.Dispose();
    }

    /// <summary>Routes a call: to the local activation, or to the silo that owns the grain.</summary>
    public void Route(GrainRequest request)
    {
        if (request.CallId != 0)
        {
            Calls.Remove(request);
            request.CallId = 0;
        }

        if (Volatile.Read(ref _state) == 3)
        {
            request.Fail(new SiloUnavailableException($"Silo {SiloName} is stopped."));
            return;
        }

        var descriptor = GrainInterfaceRegistry.Find(request.Target.Type);
        if (descriptor is null)
        {
            request.Fail(new InvalidOperationException($"Unknown grain type '{request.Target.Type}'."));
            return;
        }

        var owner = Placement.GetOwner(request.Target, descriptor.Placement, out var error, request.ExcludedSilo);
        if (owner is not { } target)
        {
            request.Fail(new SiloUnavailableException(error!));
            return;
        }

        if (target == SiloAddress)
        {
            if (request.Sink is null)
            {
                Calls.Register(request, via: null);
                if (request.RequiresCopy && !TryCopyForLocalCall(request, descriptor, out request))
                {
                    return;
                }
            }

            Catalog.Dispatch(request);
            return;
        }

        SendRemote(target, request);
    }

    /// <summary>
    /// Copies a local call's arguments through the serializer (as a remote call would), so that the grain cannot
    /// see the caller mutate them later; the copy reports back through a <see cref="LocalCopySink"/>.
    /// </summary>
    private bool TryCopyForLocalCall(GrainRequest original, GrainInterfaceDescriptor descriptor, out GrainRequest copy)
    {
        try
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                original.WriteArguments(writer, Serializer);
            }

            var reader = new Utf8JsonReader(buffer.WrittenSpan);
            copy = descriptor.Methods[original.MethodId].ReadArguments(ref reader, Serializer);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
        {
            Calls.Remove(original);
            original.Fail(ex);
            copy = original;
            return false;
        }

        copy.Target = original.Target;
        copy.Sink = new LocalCopySink(original, this);
        return true;
    }

    /// <summary>Routes again a call that an activation did not run because it deactivated.</summary>
    public void Reroute(GrainRequest request) => Route(request);

    public async Task<byte[]> SendSystemCallAsync(SiloAddress target, TargetKind kind, TimeSpan timeout, byte[]? body = null)
    {
        var call = new SystemCall(kind, body ?? [], Calls);
        try
        {
            var connection = await GetConnectionTask(target).WaitAsync(timeout, Time).ConfigureAwait(false);
            Calls.Register(call, connection);
            connection.Send(call);
            return await call.Result.WaitAsync(timeout, Time).ConfigureAwait(false);
        }
        finally
        {
            Calls.Remove(call);
        }
    }

    /// <summary>A new membership snapshot: update the view and placement, react to deaths and moved grains.</summary>
    public void OnSnapshot(MembershipSnapshot snapshot)
    {
        if (Volatile.Read(ref _state) == 3 || !View.TryPublish(snapshot))
        {
            return;
        }

        Placement.Update(snapshot);
        if (snapshot.GetStatus(SiloAddress) == SiloStatus.Dead && Volatile.Read(ref _state) == 1)
        {
            // Orleans: "I have been told I am dead, so this silo will stop!" A dead identity never comes back.
            _ = Task.Run(() => Kill("declared dead by the cluster"));
            return;
        }

        foreach (var entry in snapshot.Entries)
        {
            if (entry.Status == SiloStatus.Dead && entry.Silo != SiloAddress)
            {
                DropConnections(entry.Silo);
            }
        }

        if (snapshot.GetStatus(SiloAddress) == SiloStatus.Active)
        {
            foreach (var activation in Catalog.Activations)
            {
                if (activation.Placement == GrainPlacementKind.Hash
                    && Placement.GetOwner(activation.GrainId, GrainPlacementKind.Hash, out _) is { } owner && owner != SiloAddress)
                {
                    activation.RequestDeactivation(DeactivationReason.PlacementChanged);
                }
            }
        }
    }

    public void OnRequest(Connection connection, in RequestHeader header, ReadOnlySequence<byte> body)
    {
        switch (header.TargetKind)
        {
            case TargetKind.Probe:
                if (!SuspendProbeResponses)
                {
                    var prober = connection.PeerSilo.Length == 0 ? SiloStatus.None : View.Current.GetStatus(SiloAddress.Parse(connection.PeerSilo));
                    connection.Send(new RawResponseFrame(header.CallId, ProbeReply.Encode(SiloAddress, prober == SiloStatus.Dead)));
                }

                return;
            case TargetKind.MembershipGossip:
                _ = AnswerGossipAsync(connection, header.CallId);
                return;
            case TargetKind.AwaitDeactivation:
                GrainId grainId;
                try
                {
                    grainId = GrainId.Parse(System.Text.EncodingExtensions.GetString(System.Text.Encoding.UTF8, body));
                }
                catch (Exception ex) when (ex is FormatException or ArgumentException)
                {
                    connection.Send(new RawResponseFrame(header.CallId, ex));
                    return;
                }

                _ = AnswerWhenDeactivatedAsync(connection, header.CallId, grainId);
                return;
            case TargetKind.Grain:
                OnGrainRequest(connection, header, body);
                return;
            default:
                connection.Send(new RawResponseFrame(header.CallId, new InvalidOperationException("Unknown request kind.")));
                return;
        }
    }

    /// <summary>
    /// Before a hash-placed grain is activated here: if another silo that is still up (active or shutting down)
    /// was its owner before this one, wait until that silo's activation is gone, so two activations never run
    /// side by side during a graceful hand-off (a join, a graceful stop). A dead or unreachable previous owner
    /// is not waited for; the ETag still guards state then.
    /// </summary>
    public async Task AwaitPreviousOwnerAsync(GrainId grainId)
    {
        if (Placement.GetPreviousOwner(grainId, SiloAddress) is not { } previous)
        {
            return;
        }

        var wait = TimeSpan.FromTicks(Math.Min(Options.Collection.DeactivationTimeout.Ticks, HandoffWaitLimit.Ticks));
        try
        {
            await SendSystemCallAsync(previous, TargetKind.AwaitDeactivation, wait, System.Text.Encoding.UTF8.GetBytes(grainId.ToString())).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Gone, unreachable or slow: go on; a duplicate cannot overwrite newer state (ETag).
        }
    }

    /// <summary>Re-reads the table, then answers: a leaving silo waits for this, so the answer means "applied".</summary>
    private async Task AnswerGossipAsync(Connection connection, long callId)
    {
        if (_membership is { } membership)
        {
            await membership.ReadTableNowAsync().ConfigureAwait(false);
        }

        connection.Send(new RawResponseFrame(callId, [0]));
    }

    /// <summary>A call that came from another process has been answered.</summary>
    public void OnIncomingCallAnswered() => Interlocked.Decrement(ref _incomingInFlight);

    private async Task AnswerWhenDeactivatedAsync(Connection connection, long callId, GrainId grainId)
    {
        if (Catalog.TryGet(grainId, out var activation))
        {
            try
            {
                await activation.Deactivated.WaitAsync(HandoffWaitLimit, Time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Answer anyway; the asker has its own bound.
            }
        }

        connection.Send(new RawResponseFrame(callId, [0]));
    }

    public void OnResponse(Connection connection, long callId, ResponseStatus status, ReadOnlySequence<byte> body)
    {
        if (Calls.TryRemove(callId, out var call))
        {
            call.OnResponse(status, body, Serializer);
        }
    }

    public void OnClosed(Connection connection, Exception? error)
    {
        _incoming.TryRemove(connection, out _);
        Calls.FailVia(connection, () => new SiloUnavailableException($"The connection to {connection.PeerDescription} was lost while the call was pending.", error ?? new IOException("Connection closed.")));
    }

    public void OnGoAway(Connection connection)
    {
        // Silos learn that a peer leaves from membership; only clients act on this.
    }

    private void OnGrainRequest(Connection connection, in RequestHeader header, ReadOnlySequence<byte> body)
    {
        var descriptor = GrainInterfaceRegistry.Find(header.GrainType);
        if (descriptor is null || (uint)header.MethodId >= (uint)descriptor.Methods.Count)
        {
            connection.Send(new RawResponseFrame(header.CallId, new InvalidOperationException($"Silo {SiloName} does not know method {header.MethodId} of grain type '{header.GrainType}'.")));
            return;
        }

        if (connection.PeerRole == PeerRole.Silo && View.Current.GetStatus(SiloAddress.Parse(connection.PeerSilo)) == SiloStatus.Dead)
        {
            connection.Send(new RawResponseFrame(header.CallId, new SiloUnavailableException($"Silo {connection.PeerSilo} is declared dead; its calls are refused.")));
            return;
        }

        GrainRequest request;
        try
        {
            var reader = new Utf8JsonReader(body);
            request = descriptor.Methods[header.MethodId].ReadArguments(ref reader, Serializer);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
        {
            connection.Send(new RawResponseFrame(header.CallId, ex));
            return;
        }

        request.Target = new GrainId(header.GrainType, header.GrainKey);
        request.ForwardCount = header.ForwardCount;
        request.Sink = new IncomingCall(connection, header.CallId, this);
        Interlocked.Increment(ref _incomingInFlight);
        if ((header.Flags & RequestFlags.SenderLeaving) != 0 && connection.PeerRole == PeerRole.Silo)
        {
            request.ExcludedSilo = SiloAddress.Parse(connection.PeerSilo);
        }

        request.Deadline = Time.GetTimestamp() + (header.TimeoutMs * _timestampFrequency / 1000);
        Route(request);
    }

    private void SendRemote(SiloAddress target, GrainRequest request)
    {
        if (request.Sink is not null && ++request.ForwardCount > Options.MaxForwardCount)
        {
            request.Fail(new SiloUnavailableException($"The call {request.Target}.{request.MethodName} was forwarded {Options.MaxForwardCount} times: the silos' membership views disagree."));
            return;
        }

        if (View.Current.GetStatus(target) is SiloStatus.Dead)
        {
            request.Fail(new SiloUnavailableException($"Silo {target} is dead."));
            return;
        }

        var connection = GetConnectionTask(target);
        if (connection.IsCompletedSuccessfully)
        {
            SendOn(connection.Result, request);
        }
        else
        {
            _ = SendWhenConnectedAsync(connection, target, request);
        }
    }

    private async Task SendWhenConnectedAsync(Task<Connection> connecting, SiloAddress target, GrainRequest request)
    {
        Connection connection;
        try
        {
            connection = await connecting.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            request.Fail(ex as SiloUnavailableException ?? new SiloUnavailableException($"Silo {target} could not be reached: {ex.Message}", ex));
            return;
        }

        SendOn(connection, request);
    }

    private void SendOn(Connection connection, GrainRequest request)
    {
        Calls.Register(request, connection);
        var remaining = (request.Deadline - Time.GetTimestamp()) * 1000 / _timestampFrequency;
        var flags = Volatile.Read(ref _state) == 2 ? RequestFlags.SenderLeaving : RequestFlags.None;
        connection.Send(new RequestFrame(request, Calls, (int)Math.Clamp(remaining, 1, int.MaxValue), _resend, flags));
    }

    private Task<Connection> GetConnectionTask(SiloAddress target)
    {
        if (_outgoing.TryGetValue(target, out var existing) && IsUsable(existing))
        {
            return existing;
        }

        lock (_connectLock)
        {
            if (_outgoing.TryGetValue(target, out existing) && IsUsable(existing))
            {
                return existing;
            }

            var connecting = ConnectAsync(target);
            _outgoing[target] = connecting;
            return connecting;
        }

        static bool IsUsable(Task<Connection> task) =>
            !task.IsFaulted && !task.IsCanceled && !(task.IsCompletedSuccessfully && task.Result.IsClosed);
    }

    private async Task<Connection> ConnectAsync(SiloAddress target)
    {
        if (Volatile.Read(ref _state) == 3)
        {
            throw new SiloUnavailableException($"Silo {SiloName} is stopped.");
        }

        Connection connection;
        try
        {
            connection = await Connection.ConnectAsync(_transport, target.Endpoint, _handshake!, target.ToString(), _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (SiloUnavailableException or ClusterAuthenticationException))
        {
            throw new SiloUnavailableException($"Silo {target} could not be reached: {ex.Message}", ex);
        }

        connection.Start(this, Serializer, Options.MaxMessageSize);
        if (Volatile.Read(ref _state) == 3)
        {
            connection.Abort();
        }

        return connection;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            ITransportConnection accepted;
            try
            {
                accepted = await _listener!.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                return;
            }

            _ = AcceptOneAsync(accepted);
        }
    }

    private async Task AcceptOneAsync(ITransportConnection accepted)
    {
        Connection connection;
        try
        {
            connection = await Connection.AcceptAsync(accepted, _handshake!, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ClusterAuthenticationException or IOException or OperationCanceledException or InvalidDataException or ObjectDisposedException)
        {
            Log.ConnectionRefused(Logger, ex.Message);
            return;
        }

        _incoming[connection] = 0;
        connection.Start(this, Serializer, Options.MaxMessageSize);
        if (Volatile.Read(ref _state) == 3)
        {
            connection.Abort();
        }
    }

    private void DropConnections(SiloAddress silo)
    {
        if (_outgoing.TryRemove(silo, out var outgoing) && outgoing.IsCompletedSuccessfully)
        {
            outgoing.Result.Abort();
        }

        var text = silo.ToString();
        foreach (var connection in _incoming.Keys)
        {
            if (connection.PeerSilo == text)
            {
                connection.Abort();
            }
        }
    }

    private void CollectIdle()
    {
        var now = Time.GetTimestamp();
        var idleTicks = (long)(Options.Collection.CollectionAge.TotalSeconds * _timestampFrequency);
        foreach (var activation in Catalog.Activations)
        {
            if (activation.IsIdle(now, idleTicks))
            {
                activation.RequestDeactivation(DeactivationReason.IdleCollection);
            }
        }
    }

    private void Shutdown(string reason, bool abort)
    {
        Volatile.Write(ref _state, 3);
        StopReason ??= reason;
        _stopping.Cancel();
        _collector?.Dispose();
        _membership?.Dispose();
        if (_listener is { } listener)
        {
            _ = listener.DisposeAsync().AsTask();
        }
        foreach (var (_, connecting) in _outgoing)
        {
            if (connecting.IsCompletedSuccessfully)
            {
                connecting.Result.Abort();
            }
        }

        foreach (var connection in _incoming.Keys)
        {
            connection.Abort();
        }

        var stopped = new SiloUnavailableException($"Silo {SiloName} stopped ({reason}).");
        foreach (var activation in Catalog.Activations)
        {
            activation.Abandon(stopped);
        }

        Calls.FailAll(() => stopped);
        Calls.Dispose();
        View.Complete();
        _terminated.TrySetResult();
        _ = abort;
    }
}
