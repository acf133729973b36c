using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace AviOrleans.Grpc.Internal;

/// <summary>
/// The state of one call on the server: request reading, response writing, the deadline and the
/// final status. Writes and completion are serialized by one lock, so that a deadline firing in
/// the middle of a streamed write cannot interleave trailers with message bytes.
/// </summary>
internal sealed class GrpcServerCall : IAsyncDisposable
{
    private readonly HttpContext _http;
    private readonly GrpcServerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;

    // Only a call with a deadline has a second party (the timer) that may write: the lock exists then.
    private SemaphoreSlim? _writeLock;
    private readonly Lock _sync = new();
    private CancellationTokenSource? _cts;
    private ITimer? _deadlineTimer;
    private Task? _deadlineTask;
    private ServerCallContext? _context;
    private string? _requestEncoding;
    private string? _responseEncoding;
    private bool _headersSent;
    private int _writing;
    private bool _completed;
    private bool _deadlineExceeded;
    private bool _disposed;

    public GrpcServerCall(HttpContext http, GrpcMethodDefinition method, GrpcServerOptions options, ILogger logger, CancellationToken stopping)
    {
        _http = http;
        _stopping = stopping;
        Method = method;
        _options = options;
        _logger = logger;
    }

    public GrpcMethodDefinition Method { get; }

    public HttpContext HttpContext => _http;

    /// <summary>The context given to the handler; exists once <see cref="Start"/> ran.</summary>
    public ServerCallContext Context => _context ?? throw new InvalidOperationException("The call has not started.");

    public bool HasContext => _context is not null;

    /// <summary>The host is stopping and this call is a stream that it ended.</summary>
    public bool EndedByShutdown => Method.Type != GrpcMethodType.Unary && _stopping.IsCancellationRequested;

    public bool DeadlineExceeded
    {
        get
        {
            lock (_sync)
            {
                return _deadlineExceeded;
            }
        }
    }

    /// <summary>Checks <c>grpc-encoding</c>; an encoding we cannot decode is UNIMPLEMENTED (doc/compression.md).</summary>
    public void ReadRequestEncoding()
    {
        var encoding = _http.Request.Headers[GrpcProtocol.EncodingHeader].ToString();
        if (encoding.Length == 0 || encoding == GrpcProtocol.IdentityEncoding)
        {
            _requestEncoding = null;
        }
        else if (GrpcProtocol.IsSupportedEncoding(encoding))
        {
            _requestEncoding = encoding;
        }
        else
        {
            _http.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
            throw new RpcException(StatusCode.Unimplemented, $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: {GrpcProtocol.SupportedEncodings}");
        }

        var accept = _http.Request.Headers[GrpcProtocol.AcceptEncodingHeader].ToString();
        if (_options.ResponseCompressionAlgorithm is { } preferred && GrpcProtocol.AcceptsEncoding(accept, preferred))
        {
            _responseEncoding = preferred;
        }
        else if (_requestEncoding is not null && GrpcProtocol.AcceptsEncoding(accept, _requestEncoding))
        {
            _responseEncoding = _requestEncoding;
        }
    }

    /// <summary>Creates the handler's context and arms the deadline.</summary>
    public void Start(GrpcCaller caller)
    {
        var request = _http.Request;
        TimeSpan? timeout = null;

        var timeoutHeader = request.Headers[GrpcProtocol.TimeoutHeader].ToString();
        if (timeoutHeader.Length > 0)
        {
            if (GrpcProtocol.TryParseTimeout(timeoutHeader, out var parsed))
            {
                timeout = parsed;
            }
            else
            {
                // As grpc-dotnet: a malformed timeout is ignored, not fatal.
                GrpcServerLog.InvalidTimeoutIgnored(_logger, timeoutHeader);
            }
        }

        // Streaming calls may legitimately send slowly and for long; the message size limit is
        // ours to enforce per message, so Kestrel's whole-body limits are lifted.
        var sizeFeature = _http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        if (Method.Type is GrpcMethodType.ClientStreaming or GrpcMethodType.DuplexStreaming)
        {
            var rateFeature = _http.Features.Get<IHttpMinRequestBodyDataRateFeature>();
            if (rateFeature is not null)
            {
                rateFeature.MinDataRate = null;
            }
        }

        var time = _options.TimeProvider;
        var deadline = DateTime.MaxValue;
        var token = _http.RequestAborted;

        // Streams may be open for hours: they end when the host stops (UNAVAILABLE), so that
        // shutdown does not wait for them. Unary calls are short and are left to finish.
        var stopping = Method.Type == GrpcMethodType.Unary ? CancellationToken.None : _stopping;

        // Timers cannot wait longer than ~49 days; a call that long has no deadline in practice.
        var armDeadline = timeout is { } t && t <= TimeSpan.FromDays(49);
        if (timeout is { } d)
        {
            deadline = time.GetUtcNow().UtcDateTime + d;
        }

        // Only a call with a deadline or a stream needs a token of its own; the others use the request's.
        if (armDeadline || stopping.CanBeCanceled)
        {
            _cts = stopping.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(token, stopping) : CancellationTokenSource.CreateLinkedTokenSource(token);
            token = _cts.Token;
        }

        if (armDeadline)
        {
            _writeLock = new SemaphoreSlim(1, 1);
            _deadlineTimer = time.CreateTimer(static state => ((GrpcServerCall)state!).OnDeadline(), this, timeout!.Value, Timeout.InfiniteTimeSpan);
        }

        _context = new ServerCallContext(_http, Method.Path, deadline, this, caller, token);
    }

    /// <summary>Reads the one request message of a unary or server-streaming call.</summary>
    public async ValueTask<T> ReadSingleMessageAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        // One loop to the end of the request: the single message and the check that nothing
        // follows it. Limits are enforced as soon as the header is in, never after buffering.
        var reader = _http.Request.BodyReader;
        var token = Context.CancellationToken;
        while (true)
        {
            var result = await reader.ReadAsync(token);
            var buffer = result.Buffer;
            try
            {
                if (GrpcProtocol.TryReadFrame(ref buffer, _options.MaxReceiveMessageSize, out var compressed, out var payload))
                {
                    if (!buffer.IsEmpty)
                    {
                        throw new RpcException(StatusCode.Internal, "Additional data after the message received.");
                    }

                    if (result.IsCompleted)
                    {
                        return Parse(parser, compressed, payload);
                    }
                }
                else if (result.IsCompleted)
                {
                    throw new RpcException(StatusCode.Internal, buffer.IsEmpty ? "Request did not include a message." : "Incomplete message.");
                }
            }
            finally
            {
                if (result.IsCompleted)
                {
                    reader.AdvanceTo(result.Buffer.End);
                }
                else
                {
                    reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                }
            }
        }
    }

    /// <summary>Reads the next request message; null at the end of the request stream.</summary>
    public async ValueTask<T?> ReadMessageAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        var reader = _http.Request.BodyReader;
        // The handler usually passes the call's own token: link only when it passes another one.
        using var linked = cancellationToken.CanBeCanceled && cancellationToken != Context.CancellationToken
            ? CancellationTokenSource.CreateLinkedTokenSource(Context.CancellationToken, cancellationToken)
            : null;
        var token = linked?.Token ?? Context.CancellationToken;
        while (true)
        {
            var result = await reader.ReadAsync(token);
            var buffer = result.Buffer;
            bool framed;
            bool compressed;
            ReadOnlySequence<byte> payload;
            try
            {
                framed = GrpcProtocol.TryReadFrame(ref buffer, _options.MaxReceiveMessageSize, out compressed, out payload);
            }
            catch
            {
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                throw;
            }

            if (framed)
            {
                try
                {
                    return Parse(parser, compressed, payload);
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start);
                }
            }

            if (result.IsCompleted)
            {
                var remaining = buffer.Length;
                reader.AdvanceTo(buffer.End);
                if (remaining == 0)
                {
                    return null;
                }

                throw new RpcException(StatusCode.Internal, "Incomplete message.");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Writes one response message; streaming writes flush, a unary response goes out with the trailers.</summary>
    public async Task WriteMessageAsync(IMessage message, bool flush, CancellationToken cancellationToken)
    {
        var callToken = Context.CancellationToken;
        var gate = _writeLock;
        if (gate is not null)
        {
            await gate.WaitAsync(callToken);
        }

        // Two writes at once would interleave frames on the stream: refuse the second, as
        // grpc-dotnet does, rather than corrupt the response.
        if (Interlocked.Exchange(ref _writing, 1) == 1)
        {
            gate?.Release();
            throw new InvalidOperationException("A message write is already in progress; await each WriteAsync before the next.");
        }

        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_completed)
            {
                // The deadline or the client ended the call while the handler was still writing.
                callToken.ThrowIfCancellationRequested();
                throw new InvalidOperationException("The call has already completed.");
            }

            var size = message.CalculateSize();
            if (_options.MaxSendMessageSize is { } max && size > max)
            {
                throw new RpcException(StatusCode.ResourceExhausted, "Sending message exceeds the maximum configured message size.");
            }

            var response = _http.Response;
            StartResponse(response);

            var writer = response.BodyWriter;
            if (_responseEncoding is null)
            {
                // GetSpan must come first: Kestrel refuses an Advance before it, and protobuf's
                // buffer writer begins with Advance(0).
                GrpcProtocol.WriteHeader(writer.GetSpan(GrpcProtocol.HeaderSize), compressed: false, size);
                writer.Advance(GrpcProtocol.HeaderSize);
                message.WriteTo(writer);
            }
            else
            {
                var compressed = GrpcCompression.Compress(_responseEncoding, message.ToByteArray(), _options.ResponseCompressionLevel);
                var span = writer.GetSpan(GrpcProtocol.HeaderSize + compressed.Length);
                GrpcProtocol.WriteHeader(span, compressed: true, compressed.Length);
                compressed.CopyTo(span[GrpcProtocol.HeaderSize..]);
                writer.Advance(GrpcProtocol.HeaderSize + compressed.Length);
            }

            if (flush)
            {
                await writer.FlushAsync(callToken);
            }
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
            gate?.Release();
        }
    }

    /// <summary>Sends the response headers now, with <paramref name="headers"/> as initial metadata.</summary>
    public async Task WriteResponseHeadersAsync(Metadata headers)
    {
        var callToken = Context.CancellationToken;
        var gate = _writeLock;
        if (gate is not null)
        {
            await gate.WaitAsync(callToken);
        }

        try
        {
            var response = _http.Response;
            if (_completed || _headersSent || response.HasStarted)
            {
                throw new InvalidOperationException("Response headers can only be sent once per call, before any message.");
            }

            StartResponse(response);
            foreach (var entry in headers)
            {
                if (!entry.Key.StartsWith("grpc-", StringComparison.Ordinal))
                {
                    response.Headers.Append(entry.Key, entry.IsBinary ? GrpcProtocol.EncodeBinaryHeader(entry.ValueBytes) : entry.Value);
                }
            }

            await response.StartAsync(callToken);
        }
        finally
        {
            gate?.Release();
        }
    }

    /// <summary>
    /// Ends the call with <paramref name="status"/>: trailers after messages, or a trailers-only
    /// response when none was sent. The first completion wins; later ones do nothing.
    /// </summary>
    public async Task CompleteAsync(Status status, Metadata? trailers, bool resetStream)
    {
        var gate = _writeLock;
        if (gate is not null)
        {
            await gate.WaitAsync();
        }
        try
        {
            lock (_sync)
            {
                if (_completed)
                {
                    return;
                }

                _completed = true;
            }

            if (_http.RequestAborted.IsCancellationRequested)
            {
                // RST_STREAM or a dropped connection: nobody is listening for a status.
                return;
            }

            var response = _http.Response;
            if (!_headersSent && !response.HasStarted)
            {
                // Trailers-Only: one HEADERS frame with END_STREAM (PROTOCOL-HTTP2.md).
                StartResponse(response);
                WriteStatus(response.Headers, status, trailers);
            }
            else
            {
                var destination = _http.Features.Get<IHttpResponseTrailersFeature>()?.Trailers
                    ?? throw new InvalidOperationException("Trailers are not supported for this response.");
                WriteStatus(destination, status, trailers);
            }

            if (resetStream)
            {
                // The deadline path: the handler may still run, so end the response now, then
                // reset the stream (CANCEL) as grpc-dotnet does. Otherwise Kestrel completes the
                // response, trailers included, when the request delegate returns.
                await response.CompleteAsync();
                _http.Features.Get<IHttpResetFeature>()?.Reset(GrpcProtocol.Http2CancelErrorCode);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            GrpcServerLog.StatusNotSent(_logger, Method.Path, status.StatusCode, ex);
        }
        finally
        {
            gate?.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (_sync)
        {
            _completed = true;
        }

        if (_deadlineTimer is not null)
        {
            // Waits for a deadline callback that is running, so the CTS is not disposed under it.
            await _deadlineTimer.DisposeAsync();
        }

        if (_deadlineTask is not null)
        {
            await _deadlineTask;
        }

        _cts?.Dispose();
    }

    private void OnDeadline()
    {
        lock (_sync)
        {
            if (_completed)
            {
                return;
            }

            _deadlineExceeded = true;
        }

        GrpcServerLog.DeadlineExceeded(_logger, Method.Path);
        try
        {
            _cts!.Cancel();
        }
        catch (AggregateException ex)
        {
            GrpcServerLog.CancellationCallbackFailed(_logger, Method.Path, ex);
        }

        // As grpc-dotnet: send DEADLINE_EXCEEDED, then RST_STREAM(CANCEL), without waiting for a
        // handler that ignores its token.
        _deadlineTask = CompleteAsync(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), null, resetStream: true);
    }

    private T Parse<T>(MessageParser<T> parser, bool compressed, ReadOnlySequence<byte> payload)
        where T : class, IMessage<T>
    {
        if (compressed)
        {
            if (_requestEncoding is null)
            {
                throw new RpcException(StatusCode.Internal, "Request sent a compressed message without a grpc-encoding header.");
            }

            var bytes = GrpcCompression.Decompress(_requestEncoding, payload, _options.MaxReceiveMessageSize);
            return ParseBytes(parser, new ReadOnlySequence<byte>(bytes));
        }

        return ParseBytes(parser, payload);
    }

    private static T ParseBytes<T>(MessageParser<T> parser, ReadOnlySequence<byte> bytes)
        where T : class, IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new RpcException(StatusCode.Internal, "Failed to deserialize request message.");
        }
    }

    private void StartResponse(HttpResponse response)
    {
        if (_headersSent || response.HasStarted)
        {
            return;
        }

        _headersSent = true;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocol.ContentType;
        if (_responseEncoding is not null)
        {
            response.Headers[GrpcProtocol.EncodingHeader] = _responseEncoding;
        }

        response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
    }

    private static void WriteStatus(IHeaderDictionary destination, Status status, Metadata? trailers)
    {
        destination[GrpcProtocol.StatusHeader] = GrpcProtocol.StatusText(status.StatusCode);
        if (!string.IsNullOrEmpty(status.Detail))
        {
            destination[GrpcProtocol.MessageHeader] = GrpcProtocol.EncodeMessage(status.Detail);
        }

        if (trailers is null)
        {
            return;
        }

        foreach (var entry in trailers)
        {
            if (entry.Key.StartsWith("grpc-", StringComparison.Ordinal) && entry.Key != RpcException.StatusDetailsTrailer)
            {
                // Reserved names would corrupt the status; only the rich-error trailer is allowed.
                continue;
            }

            var value = entry.IsBinary ? GrpcProtocol.EncodeBinaryHeader(entry.ValueBytes) : entry.Value;
            destination.Append(entry.Key, value);
        }
    }

    /// <summary>The request's custom metadata; <see cref="ServerCallContext.RequestHeaders"/> reads it on first use.</summary>
    internal Metadata ReadRequestHeaders()
    {
        var headers = _http.Request.Headers;
        var metadata = new Metadata();
        foreach (var (key, values) in headers)
        {
            if (key.Length == 0 || key[0] == ':' || key.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase)
                || key.Equals("content-type", StringComparison.OrdinalIgnoreCase)
                || key.Equals("te", StringComparison.OrdinalIgnoreCase)
                || key.Equals("host", StringComparison.OrdinalIgnoreCase)
                || key.Equals("content-length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (value is null)
                {
                    continue;
                }

                try
                {
                    metadata.Add(MetadataEntry.IsBinaryKey(key)
                        ? new MetadataEntry(key, GrpcProtocol.DecodeBinaryHeader(value))
                        : new MetadataEntry(key, value));
                }
                catch (Exception ex) when (ex is FormatException or ArgumentException)
                {
                    // A header that is not valid metadata is dropped, not fatal for the call.
                    GrpcServerLog.InvalidMetadataIgnored(_logger, key);
                }
            }
        }

        return metadata;
    }
}
