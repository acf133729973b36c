using System.Buffers;

namespace AviOrleans.Grpc.Internal;

/// <summary>
/// Reads length-prefixed messages from a response stream through one pooled buffer, so that a
/// single read can yield many small streamed messages. A payload is valid until the next read.
/// </summary>
internal sealed class StreamFrameReader(Stream stream, int? maxMessageSize) : IDisposable
{
    private const int InitialSize = 16 * 1024;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _start;
    private int _end;

    /// <summary>Takes the next frame if the buffer already holds all of it; throws RpcException on a violation.</summary>
    public bool TryReadBuffered(out bool compressed, out ReadOnlyMemory<byte> payload)
    {
        compressed = false;
        payload = default;
        var available = _end - _start;
        if (available < GrpcProtocol.HeaderSize)
        {
            return false;
        }

        var length = GrpcProtocol.ReadHeader(_buffer.AsSpan(_start, GrpcProtocol.HeaderSize), maxMessageSize ?? int.MaxValue - GrpcProtocol.HeaderSize, out compressed);
        var total = GrpcProtocol.HeaderSize + (long)length;
        if (available < total)
        {
            return false;
        }

        payload = _buffer.AsMemory(_start + GrpcProtocol.HeaderSize, (int)length);
        _start += (int)total;
        return true;
    }

    /// <summary>The next frame, or false at a clean end of stream; throws RpcException on a violation.</summary>
    public async ValueTask<(bool Found, bool Compressed, ReadOnlyMemory<byte> Payload)> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(GrpcProtocol.HeaderSize, cancellationToken))
        {
            return _end == _start ? (false, false, default) : throw Incomplete();
        }

        var length = GrpcProtocol.ReadHeader(_buffer.AsSpan(_start, GrpcProtocol.HeaderSize), maxMessageSize ?? int.MaxValue - GrpcProtocol.HeaderSize, out var compressed);
        var total = GrpcProtocol.HeaderSize + (int)length;
        if (!await FillAsync(total, cancellationToken))
        {
            throw Incomplete();
        }

        var payload = _buffer.AsMemory(_start + GrpcProtocol.HeaderSize, (int)length);
        _start += total;
        return (true, compressed, payload);
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static RpcException Incomplete() => new(StatusCode.Internal, "Incomplete message in the response.");

    /// <summary>Makes at least <paramref name="count"/> bytes available from <c>_start</c>; false at end of stream.</summary>
    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        while (_end - _start < count)
        {
            if (_buffer.Length - _start < count)
            {
                // Not enough room after _start: move what is left to the front, growing if needed.
                var target = _buffer.Length >= count ? _buffer : ArrayPool<byte>.Shared.Rent(count);
                Buffer.BlockCopy(_buffer, _start, target, 0, _end - _start);
                if (!ReferenceEquals(target, _buffer))
                {
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = target;
                }

                _end -= _start;
                _start = 0;
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                return false;
            }

            _end += read;
        }

        return true;
    }
}
