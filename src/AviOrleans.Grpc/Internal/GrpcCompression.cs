using System.Buffers;
using System.IO.Compression;

namespace AviOrleans.Grpc.Internal;

/// <summary>Per-message gzip and deflate (zlib format, as gRPC's "deflate" is) compression.</summary>
internal static class GrpcCompression
{
    public static byte[] Compress(string encoding, ReadOnlySpan<byte> data, CompressionLevel level)
    {
        using var output = new MemoryStream();
        using (var stream = CreateStream(encoding, output, CompressionMode.Compress, level))
        {
            stream.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>
    /// Decompresses one message; a result larger than <paramref name="maxSize"/> is
    /// RESOURCE_EXHAUSTED, corrupt data INTERNAL (a zip bomb stops at the limit).
    /// </summary>
    public static byte[] Decompress(string encoding, ReadOnlySequence<byte> data, int? maxSize)
    {
        try
        {
            using var input = new MemoryStream(data.ToArray(), writable: false);
            using var stream = CreateStream(encoding, input, CompressionMode.Decompress, CompressionLevel.Optimal);
            using var output = new MemoryStream();
            var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
                {
                    if (maxSize is { } max && output.Length + read > max)
                    {
                        throw new RpcException(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size.");
                    }

                    output.Write(chunk, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            throw new RpcException(StatusCode.Internal, $"Failed to decompress a message with grpc-encoding '{encoding}'.");
        }
    }

    private static Stream CreateStream(string encoding, Stream inner, CompressionMode mode, CompressionLevel level) => (encoding, mode) switch
    {
        (GrpcProtocol.GzipEncoding, CompressionMode.Compress) => new GZipStream(inner, level, leaveOpen: true),
        (GrpcProtocol.GzipEncoding, _) => new GZipStream(inner, CompressionMode.Decompress, leaveOpen: true),
        (GrpcProtocol.DeflateEncoding, CompressionMode.Compress) => new ZLibStream(inner, level, leaveOpen: true),
        (GrpcProtocol.DeflateEncoding, _) => new ZLibStream(inner, CompressionMode.Decompress, leaveOpen: true),
        _ => throw new RpcException(StatusCode.Internal, $"Unsupported grpc-encoding '{encoding}'."),
    };
}
