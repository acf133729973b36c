using System.Buffers;
using AviOrleans.Runtime.CodeGeneration;
using AviOrleans.Runtime.Internal;
using AviOrleans.Runtime.Serialization;
using AviOrleans.Runtime.Transport;

namespace AviOrleans.Runtime.Hosting;

/// <summary>
/// A process outside the cluster that calls grains through a silo acting as its gateway. It authenticates with the
/// cluster key; when its gateway goes away it moves to the next one on the next call.
/// </summary>
public sealed class ClusterClient : IGrainFactory, IGrainCallInvoker, IAsyncDisposable
{
    private readonly ClusterClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ITransport _transport;
    private readonly GrainSerializer _serializer;
    private readonly CallRegistry _calls;
    private readonly HandshakeSettings _handshake;
    private readonly Handler _handler;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private Connection? _connection;
    private int _nextGateway;
    private bool _disposed;

    /// <summary>Creates a client; call <see cref="ConnectAsync"/> before the first call.</summary>
    public ClusterClient(ClusterClientOptions options, TimeProvider? timeProvider = null, ITransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ClusterKey.Length < SiloOptionsValidator.MinClusterKeyLength)
        {
            throw new ArgumentException($"ClusterKey must be at least {SiloOptionsValidator.MinClusterKeyLength} bytes.", nameof(options));
        }

        if (options.Gateways.Count == 0)
        {
            throw new ArgumentException("At least one gateway endpoint is required.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ResponseTimeout, TimeSpan.Zero);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _transport = transport ?? TcpTransport.Instance;
        _serializer = new GrainSerializer(options.SerializerContexts);
        _calls = new CallRegistry(_time, options.ResponseTimeout);
        _handshake = new HandshakeSettings(options.ClusterId, options.ClusterKey, PeerRole.Client, string.Empty, _time, options.HandshakeTimeout);
        _handler = new Handler(this);
    }

    /// <summary>Connects to the first gateway that accepts; throws <see cref="ClusterAuthenticationException"/> when refused.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default) =>
        await GetConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        var descriptor = GrainInterfaceRegistry.Get(typeof(TGrainInterface));
        return (TGrainInterface)descriptor.CreateProxy(new GrainId(descriptor.GrainType, key), this);
    }

    /// <inheritdoc/>
    public Task<TResult> InvokeAsync<TResult>(GrainId target, GrainRequest<TResult> request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Target = target;
        var result = request.CreatePromise();
        var connection = Volatile.Read(ref _connection);
        if (connection is { IsClosed: false, IsDraining: false })
        {
            Send(connection, request);
        }
        else
        {
            _ = SendWhenConnectedAsync(request);
        }

        return result;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _connection?.Abort();
        _calls.FailAll(() => new ObjectDisposedException(nameof(ClusterClient)));
        _calls.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task SendWhenConnectedAsync(GrainRequest request)
    {
        try
        {
            var connection = await GetConnectionAsync(CancellationToken.None).ConfigureAwait(false);
            Send(connection, request);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            request.Fail(ex);
        }
    }

    private void Send(Connection connection, GrainRequest request)
    {
        _calls.Register(request, connection);
        connection.Send(new RequestFrame(request, _calls, (int)_options.ResponseTimeout.TotalMilliseconds, r => _ = SendWhenConnectedAsync(r)));
    }

    private async Task<Connection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is { IsClosed: false, IsDraining: false } current)
            {
                return current;
            }

            Exception? last = null;
            for (var i = 0; i < _options.Gateways.Count; i++)
            {
                var gateway = _options.Gateways[(_nextGateway + i) % _options.Gateways.Count];
                if (_connection is { IsClosed: false } leaving && leaving.IsDraining && Equals(leaving.PeerEndpoint, gateway))
                {
                    continue;
                }

                try
                {
                    var connection = await Connection.ConnectAsync(_transport, gateway, _handshake, string.Empty, cancellationToken).ConfigureAwait(false);
                    connection.Start(_handler, _serializer, _options.MaxMessageSize);
                    _nextGateway = (_nextGateway + i) % _options.Gateways.Count;
                    Volatile.Write(ref _connection, connection);
                    return connection;
                }
                catch (ClusterAuthenticationException)
                {
                    throw;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    last = ex;
                }
            }

            // Next time, start with the gateway after the one that failed first.
            _nextGateway++;
            throw new SiloUnavailableException("No gateway could be reached.", last!);
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private sealed class Handler(ClusterClient client) : IConnectionHandler
    {
        public void OnRequest(Connection connection, in RequestHeader header, ReadOnlySequence<byte> body) =>
            connection.Send(new RawResponseFrame(header.CallId, new InvalidOperationException("A client hosts no grains.")));

        public void OnResponse(Connection connection, long callId, ResponseStatus status, ReadOnlySequence<byte> body)
        {
            if (client._calls.TryRemove(callId, out var call))
            {
                call.OnResponse(status, body, client._serializer);
            }
        }

        public void OnGoAway(Connection connection)
        {
            // Pending calls still complete on this connection; new ones go to the next gateway.
            Interlocked.Increment(ref client._nextGateway);
        }

        public void OnClosed(Connection connection, Exception? error) =>
            client._calls.FailVia(connection, () => new SiloUnavailableException("The connection to the gateway was lost while the call was pending.", error ?? new IOException("Connection closed.")));
    }
}
