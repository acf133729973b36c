using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Net.Client;

namespace AviOrleans.Bench.Grpc;

/// <summary>The two ways of calling the same handler: Grpc.Net.Client to Grpc.AspNetCore, and bare HTTP/2 (the floor).</summary>
internal sealed class BenchClients : IDisposable
{
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");
    private readonly GrpcChannel _channel;
    private readonly Bench.BenchClient _client;
    private readonly HttpMessageInvoker _http;
    private readonly Uri _plainGet;
    private readonly Uri _plainWatch;

    public BenchClients(Uri address)
    {
        _channel = GrpcChannel.ForAddress(address);
        _client = new Bench.BenchClient(_channel);
        // The same lean path as GrpcChannel: an invoker over SocketsHttpHandler, no response buffering.
        _http = new HttpMessageInvoker(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });
        _plainGet = new Uri(address, "/plain/get");
        _plainWatch = new Uri(address, "/plain/watch");
    }

    public async Task<Item> GrpcGetAsync(GetRequest request) => await _client.GetAsync(request);

    public async Task<Item> PlainGetAsync(GetRequest request)
    {
        using var message = Post(_plainGet, request);
        using var response = await _http.SendAsync(message, CancellationToken.None);
        response.EnsureSuccessStatusCode();
        var length = (int)(response.Content.Headers.ContentLength ?? 0);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            var read = await body.ReadAtLeastAsync(buffer.AsMemory(0, length), length, throwOnEndOfStream: true);
            return Item.Parser.ParseFrom(buffer, 0, read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task<int> GrpcWatchAsync(int count)
    {
        using var call = _client.Watch(new WatchRequest { Count = count });
        var received = 0;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            received++;
        }

        return received;
    }

    public async Task<int> PlainWatchAsync(int count)
    {
        using var request = Post(_plainWatch, new WatchRequest { Count = count });
        using var response = await _http.SendAsync(request, CancellationToken.None);
        response.EnsureSuccessStatusCode();
        var reader = PipeReader.Create(await response.Content.ReadAsStreamAsync());
        var received = 0;
        while (true)
        {
            var result = await reader.ReadAsync();
            var buffer = result.Buffer;
            while (true)
            {
                var head = buffer.Slice(0, Math.Min(5, buffer.Length)).ToArray();
                if (!Varint.TryRead(head, out var size, out var length) || buffer.Length < length + size)
                {
                    break;
                }

                Item.Parser.ParseFrom(buffer.Slice(length, size));
                buffer = buffer.Slice(length + size);
                received++;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                await reader.CompleteAsync();
                return received;
            }
        }
    }

    private static HttpRequestMessage Post(Uri uri, IMessage body)
    {
        var content = new ByteArrayContent(body.ToByteArray());
        content.Headers.ContentType = Protobuf;
        return new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    public void Dispose()
    {
        _channel.Dispose();
        _http.Dispose();
    }
}
