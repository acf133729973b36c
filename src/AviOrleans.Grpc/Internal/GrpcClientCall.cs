using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace AviOrleans.Grpc.Internal;

/// <summary>
/// One call from the client: sends the request, validates the response headers, reads framed
/// messages, and turns the trailers (or any failure) into a status. Every failure leaves as an
/// <see cref="RpcException"/>, mapped in <see cref="Map"/>.
/// </summary>
internal sealed class GrpcClientCall<TResponse> : IDisposable
    where TResponse : class, IMessage<TResponse>, new()
{
    private static readonly MediaTypeHeaderValue GrpcContentType = new(GrpcProtocol.ContentType);
    private static readonly Metadata EmptyMetadata = new();
    private readonly GrpcChannel _channel;
    private readonly string _path;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource? _deadlineCts;
    private readonly CancellationTokenSource? _cts;
    private readonly CancellationToken _token;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private StreamFrameReader? _frames;
    private string? _responseEncoding;
    private RpcException? _trailersOnlyError;
    private bool _trailersOnly;

    public GrpcClientCall(GrpcChannel channel, string path, CallOptions options, CancellationToken extraToken)
    {
        _channel = channel;
        _path = path;
        _options = options;
        if (options.Deadline is { } deadline)
        {
            var timeout = deadline.ToUniversalTime() - channel.Options.TimeProvider.GetUtcNow().UtcDateTime;
            _deadlineCts = new CancellationTokenSource(timeout > TimeSpan.Zero ? timeout : TimeSpan.Zero, channel.Options.TimeProvider);
        }

        // A call that nothing can cancel needs no token source of its own.
        if (_deadlineCts is not null || options.CancellationToken.CanBeCanceled || extraToken.CanBeCanceled)
        {
            _cts = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken, extraToken, _deadlineCts?.Token ?? CancellationToken.None);
        }

        _token = _cts?.Token ?? CancellationToken.None;
    }

    public async Task StartAsync(IMessage request)
    {
        try
        {
            _token.ThrowIfCancellationRequested();
            using var message = CreateRequest(request);
            _response = await _channel.Invoker.SendAsync(message, _token);
            ValidateResponseHeaders(_response);
            if (!_trailersOnly)
            {
                _body = await _response.Content.ReadAsStreamAsync(_token);
                _frames = new StreamFrameReader(_body, _channel.Options.MaxReceiveMessageSize);
            }
        }
        catch (Exception ex)
        {
            throw Map(ex);
        }
    }

    /// <summary>The next response message; null when the server has finished sending.</summary>
    public ValueTask<TResponse?> ReadNextAsync()
    {
        if (_trailersOnlyError is not null)
        {
            throw _trailersOnlyError;
        }

        if (_frames is null)
        {
            return default;
        }

        // Streamed messages usually sit in the buffer already: parse them without going async.
        try
        {
            if (_frames.TryReadBuffered(out var compressed, out var payload))
            {
                return new ValueTask<TResponse?>(Parse(compressed, payload));
            }
        }
        catch (Exception ex)
        {
            throw Map(ex);
        }

        return ReadNextSlowAsync();
    }

    private async ValueTask<TResponse?> ReadNextSlowAsync()
    {
        try
        {
            var (found, compressed, payload) = await _frames!.ReadAsync(_token);
            return found ? Parse(compressed, payload) : null;
        }
        catch (Exception ex)
        {
            throw Map(ex);
        }
    }

    /// <summary>After the last message: throws the call's status when it is not OK.</summary>
    public void Finish()
    {
        if (_trailersOnlyError is not null)
        {
            throw _trailersOnlyError;
        }

        if (_trailersOnly)
        {
            return;
        }

        var status = ReadStatus(_response!.TrailingHeaders, out var trailers);
        if (status is null)
        {
            throw Map(new RpcException(StatusCode.Unknown, "No grpc-status found on response."));
        }

        if (status.Value.StatusCode != StatusCode.OK)
        {
            throw Map(new RpcException(status.Value, trailers));
        }
    }

    public void Dispose()
    {
        // Disposing an unfinished response resets the stream (RST_STREAM CANCEL): the server's
        // handler sees the call cancelled.
        _frames?.Dispose();
        _body?.Dispose();
        _response?.Dispose();
        _cts?.Dispose();
        _deadlineCts?.Dispose();
    }

    private HttpRequestMessage CreateRequest(IMessage request)
    {
        var channelOptions = _channel.Options;
        var size = request.CalculateSize();
        if (channelOptions.MaxSendMessageSize is { } max && size > max)
        {
            throw new RpcException(StatusCode.ResourceExhausted, "Sending message exceeds the maximum configured message size.");
        }

        byte[] body;
        var encoding = channelOptions.CompressionAlgorithm;
        if (encoding is null)
        {
            body = new byte[GrpcProtocol.HeaderSize + size];
            GrpcProtocol.WriteHeader(body, compressed: false, size);
            request.WriteTo(body.AsSpan(GrpcProtocol.HeaderSize));
        }
        else
        {
            var compressedBytes = GrpcCompression.Compress(encoding, request.ToByteArray(), System.IO.Compression.CompressionLevel.Fastest);
            body = new byte[GrpcProtocol.HeaderSize + compressedBytes.Length];
            GrpcProtocol.WriteHeader(body, compressed: true, compressedBytes.Length);
            compressedBytes.CopyTo(body.AsSpan(GrpcProtocol.HeaderSize));
        }

        var message = new HttpRequestMessage(HttpMethod.Post, _channel.GetMethodUri(_path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        message.Content.Headers.ContentType = GrpcContentType;
        var headers = message.Headers;
        headers.TryAddWithoutValidation("te", "trailers");
        if (_deadlineCts is not null && _options.Deadline is { } deadline)
        {
            var remaining = deadline.ToUniversalTime() - channelOptions.TimeProvider.GetUtcNow().UtcDateTime;
            if (remaining <= TimeSpan.Zero)
            {
                throw new OperationCanceledException(_deadlineCts.Token);
            }

            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcProtocol.FormatTimeout(remaining));
        }

        if (encoding is not null)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, encoding);
        }

        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        headers.TryAddWithoutValidation("user-agent", "aviorleans-grpc-dotnet/1.0");
        if (channelOptions.BearerToken is { } token)
        {
            headers.TryAddWithoutValidation("authorization", "Bearer " + token);
        }

        if (_options.Headers is { } metadata)
        {
            foreach (var entry in metadata)
            {
                headers.TryAddWithoutValidation(entry.Key, entry.IsBinary ? GrpcProtocol.EncodeBinaryHeader(entry.ValueBytes) : entry.Value);
            }
        }

        return message;
    }

    private void ValidateResponseHeaders(HttpResponseMessage response)
    {
        // Trailers-Only: the status is in the headers and wins over everything else.
        var status = ReadStatus(response.Headers, out var metadata);
        if (status is { } s)
        {
            _trailersOnly = true;
            if (s.StatusCode != StatusCode.OK)
            {
                _trailersOnlyError = new RpcException(s, metadata);
            }

            return;
        }

        if (response.Version < HttpVersion.Version20)
        {
            throw new RpcException(StatusCode.Internal, $"Bad gRPC response. Response protocol downgraded to HTTP/{response.Version}.");
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RpcException(MapHttpStatus(response.StatusCode), $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}");
        }

        // NonValidated: no parsing into header objects on every call.
        var contentType = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var contentTypes) ? contentTypes.ToString() : null;
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            throw new RpcException(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {contentType}");
        }

        if (response.Headers.NonValidated.TryGetValues(GrpcProtocol.EncodingHeader, out var encodings))
        {
            var encoding = encodings.ToString();
            if (!GrpcProtocol.IsSupportedEncoding(encoding))
            {
                throw new RpcException(StatusCode.Internal, $"The server used unsupported grpc-encoding '{encoding}'.");
            }

            _responseEncoding = encoding == GrpcProtocol.IdentityEncoding ? null : encoding;
        }
    }

    private TResponse Parse(bool compressed, ReadOnlyMemory<byte> payload)
    {
        try
        {
            if (!compressed)
            {
                return MessageParsers<TResponse>.Parser.ParseFrom(payload.Span);
            }

            if (_responseEncoding is null)
            {
                throw new RpcException(StatusCode.Internal, "The server sent a compressed message without grpc-encoding.");
            }

            var bytes = GrpcCompression.Decompress(_responseEncoding, new ReadOnlySequence<byte>(payload), _channel.Options.MaxReceiveMessageSize);
            return MessageParsers<TResponse>.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new RpcException(StatusCode.Internal, "Failed to deserialize response message.");
        }
    }

    private static Status? ReadStatus(HttpHeaders headers, out Metadata metadata)
    {
        metadata = EmptyMetadata;
        var all = headers.NonValidated;
        if (!all.TryGetValues(GrpcProtocol.StatusHeader, out var statusValues))
        {
            return null;
        }

        var code = int.TryParse(statusValues.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? (StatusCode)parsed : StatusCode.Unknown;
        if (code == StatusCode.OK)
        {
            // The common case: nothing else in the trailers matters to the caller.
            return Status.DefaultSuccess;
        }

        var detail = all.TryGetValues(GrpcProtocol.MessageHeader, out var messageValues) ? GrpcProtocol.DecodeMessage(messageValues.ToString()) : string.Empty;
        metadata = new Metadata();
        foreach (var (name, values) in all)
        {
            var key = name.ToLowerInvariant();
            if (key.StartsWith("grpc-", StringComparison.Ordinal) && key != RpcException.StatusDetailsTrailer)
            {
                continue;
            }

            foreach (var value in values)
            {
                try
                {
                    metadata.Add(MetadataEntry.IsBinaryKey(key) ? new MetadataEntry(key, GrpcProtocol.DecodeBinaryHeader(value)) : new MetadataEntry(key, value));
                }
                catch (Exception ex) when (ex is FormatException or ArgumentException)
                {
                    // Headers that are not valid metadata (e.g. HTTP's own) are not metadata.
                }
            }
        }

        return new Status(code, detail);
    }

    private static StatusCode MapHttpStatus(HttpStatusCode code) => (int)code switch
    {
        400 or 431 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        < 200 => StatusCode.Internal,
        _ => StatusCode.Unknown,
    };

    // The client's one place for exceptions: deadline before cancellation before transport errors.
    private RpcException Map(Exception exception)
    {
        var deadlinePassed = _deadlineCts?.IsCancellationRequested == true;
        if (exception is RpcException rpc)
        {
            return deadlinePassed && rpc.StatusCode is StatusCode.Cancelled or StatusCode.Internal or StatusCode.Unavailable
                ? new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), rpc.Trailers)
                : rpc;
        }

        if (deadlinePassed)
        {
            return new RpcException(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }

        if (exception is OperationCanceledException && _token.IsCancellationRequested)
        {
            return new RpcException(StatusCode.Cancelled, "Call canceled by the client.");
        }

        return exception switch
        {
            HttpProtocolException { ErrorCode: 0x8 } => new RpcException(StatusCode.Cancelled, "The server cancelled the call (RST_STREAM CANCEL)."),
            HttpProtocolException { ErrorCode: 0x7 } => new RpcException(StatusCode.Unavailable, "The server refused the stream (RST_STREAM REFUSED_STREAM)."),
            HttpProtocolException { ErrorCode: 0xb } => new RpcException(StatusCode.ResourceExhausted, "The server asked to enhance calm (RST_STREAM ENHANCE_YOUR_CALM)."),
            HttpProtocolException { ErrorCode: 0xc } => new RpcException(StatusCode.PermissionDenied, "Inadequate security (RST_STREAM INADEQUATE_SECURITY)."),
            HttpProtocolException p => new RpcException(StatusCode.Internal, $"HTTP/2 error 0x{p.ErrorCode:x}: {p.Message}"),
            HttpRequestException h => new RpcException(StatusCode.Unavailable, $"Error starting gRPC call to {_channel.Address}: {h.Message}"),
            IOException io => new RpcException(StatusCode.Unavailable, $"Error reading the response: {io.Message}"),
            _ => new RpcException(StatusCode.Internal, $"The call failed: {exception.GetType().Name}: {exception.Message}"),
        };
    }
}
