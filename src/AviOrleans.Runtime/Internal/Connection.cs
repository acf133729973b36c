using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using AviOrleans.Runtime.Serialization;
using AviOrleans.Runtime.Transport;

namespace AviOrleans.Runtime.Internal;

/// <summary>
/// One authenticated connection carrying length-prefixed frames both ways: requests and responses of many
/// calls multiplexed by call id. A single writer drains the outbox and batches frames into one socket write.
/// </summary>
internal sealed class Connection
{
    private readonly ITransportConnection _transport;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly Channel<OutgoingFrame> _outbox = Channel.CreateUnbounded<OutgoingFrame>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IConnectionHandler? _handler;
    private GrainSerializer? _serializer;
    private int _maxFrameSize;
    private int _isClosed;

    private Connection(ITransportConnection transport)
    {
        _transport = transport;
        _stream = transport.Stream;
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4096));
    }

    public PeerRole PeerRole { get; private set; }

    /// <summary>The peer's silo identity text ("" for a client).</summary>
    public string PeerSilo { get; private set; } = string.Empty;

    /// <summary>The endpoint this side connected to (null on the accepting side).</summary>
    public IPEndPoint? PeerEndpoint { get; private init; }

    public string PeerDescription => PeerSilo.Length == 0 ? "a client" : PeerSilo;

    public bool IsClosed => Volatile.Read(ref _isClosed) != 0;

    /// <summary>The peer said it is leaving: no new calls go out on this connection.</summary>
    public bool IsDraining { get; private set; }

    public Task Closed => _closed.Task;

    public static async Task<Connection> ConnectAsync(
        ITransport transport, IPEndPoint endpoint, HandshakeSettings settings, string expectedPeer, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(settings.Timeout, settings.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var transportConnection = await transport.ConnectAsync(endpoint, linked.Token).ConfigureAwait(false);
        var connection = new Connection(transportConnection) { PeerRole = PeerRole.Silo, PeerEndpoint = endpoint };
        try
        {
            connection.PeerSilo = await Handshake.ConnectAsync(connection._stream, connection._reader, settings, expectedPeer, linked.Token).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            transportConnection.Abort();
            throw;
        }
    }

    public static async Task<Connection> AcceptAsync(ITransportConnection transportConnection, HandshakeSettings settings, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(settings.Timeout, settings.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var connection = new Connection(transportConnection);
        try
        {
            var (role, silo, _) = await Handshake.AcceptAsync(connection._stream, connection._reader, settings, linked.Token).ConfigureAwait(false);
            connection.PeerRole = role;
            connection.PeerSilo = silo;
            return connection;
        }
        catch
        {
            transportConnection.Abort();
            throw;
        }
    }

    /// <summary>Starts the read and write loops.</summary>
    public void Start(IConnectionHandler handler, GrainSerializer serializer, int maxFrameSize)
    {
        _handler = handler;
        _serializer = serializer;
        _maxFrameSize = maxFrameSize;
        _ = Task.Run(ReadLoopAsync);
        _ = Task.Run(WriteLoopAsync);
    }

    public void Send(OutgoingFrame frame)
    {
        if (!_outbox.Writer.TryWrite(frame))
        {
            frame.OnNotSent(this, new SiloUnavailableException($"The connection to {PeerDescription} is closed."));
        }
    }

    /// <summary>Kills the connection with no goodbye.</summary>
    public void Abort(Exception? reason = null) => Close(reason, abort: true);

    /// <summary>Parses one frame off the front of <paramref name="buffer"/>; false until it has all arrived.</summary>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxFrameSize, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < 4)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length <= 0 || length > maxFrameSize)
        {
            throw new InvalidDataException($"Frame of {length} bytes is outside 1..{maxFrameSize}.");
        }

        if (buffer.Length < 4 + length)
        {
            return false;
        }

        payload = buffer.Slice(4, length);
        buffer = buffer.Slice(4 + length);
        return true;
    }

    private async Task ReadLoopAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                while (TryReadFrame(ref buffer, _maxFrameSize, out var payload))
                {
                    Dispatch(payload);
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ObjectDisposedException or OperationCanceledException or JsonException)
        {
            error = ex;
        }

        Close(error, abort: true);
    }

    private void Dispatch(ReadOnlySequence<byte> payload)
    {
        var reader = new WireReader(payload);
        switch (reader.ReadByte())
        {
            case FrameKind.Request:
                var header = new RequestHeader(
                    reader.ReadInt64(), (TargetKind)reader.ReadByte(), (RequestFlags)reader.ReadByte(), reader.ReadByte(), reader.ReadInt32(), reader.ReadString(), reader.ReadString(), reader.ReadInt32());
                _handler!.OnRequest(this, header, reader.Remaining);
                break;
            case FrameKind.Response:
                var callId = reader.ReadInt64();
                var status = (ResponseStatus)reader.ReadByte();
                _handler!.OnResponse(this, callId, status, reader.Remaining);
                break;
            case FrameKind.GoAway:
                IsDraining = true;
                _handler!.OnGoAway(this);
                break;
            default:
                throw new InvalidDataException("Unknown frame kind.");
        }
    }

    private async Task WriteLoopAsync()
    {
        var buffer = new FrameBuffer();
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        var outbox = _outbox.Reader;
        Exception? error = null;
        try
        {
            while (await outbox.WaitToReadAsync().ConfigureAwait(false))
            {
                // Batch whatever is queued into one write: under load many small frames share a syscall.
                while (buffer.Length < 256 * 1024 && outbox.TryRead(out var frame))
                {
                    var start = buffer.BeginFrame();
                    try
                    {
                        frame.Write(buffer, json, _serializer!);
                        if (buffer.EndFrame(start) > _maxFrameSize)
                        {
                            throw new InvalidOperationException($"A message of {buffer.Length - start - 4} bytes exceeds the limit of {_maxFrameSize}.");
                        }
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        buffer.Rewind(start);
                        json.Reset(buffer);
                        frame.OnSendFailed(this, ex);
                    }
                }

                if (buffer.Length > 0)
                {
                    await _stream.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
                    buffer.Reset();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            error = ex;
        }

        Close(error, abort: true);
    }

    private void Close(Exception? error, bool abort)
    {
        if (Interlocked.Exchange(ref _isClosed, 1) != 0)
        {
            return;
        }

        _outbox.Writer.TryComplete();
        if (abort)
        {
            _transport.Abort();
        }

        var failure = new SiloUnavailableException($"The connection to {PeerDescription} closed.", error ?? new IOException("Closed."));
        while (_outbox.Reader.TryRead(out var frame))
        {
            frame.OnNotSent(this, failure);
        }

        _handler?.OnClosed(this, error);
        _closed.TrySetResult();
    }
}
