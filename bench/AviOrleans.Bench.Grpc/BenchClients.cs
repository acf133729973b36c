using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using AviOrleans.Grpc;
using Google.Protobuf;

namespace AviOrleans.Bench.Grpc;

/// <summary>The two ways of calling the same handler: through the gRPC layer, and bare HTTP/2.</summary>
internal sealed class BenchClients : IDisposable
{
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");
    private readonly GrpcChannel _channel;
    private readonly HttpClient _http;
    private readonly Uri _plainGet;
    private readonly Uri _plainWatch;

    public BenchClients(Uri address)
    {
        _channel = GrpcChannel.ForAddress(address);
        _http = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true })
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        _plainGet = new Uri(address, "/plain/get");
        _plainWatch = new Uri(address, "/plain/watch");
    }

    public async Task<Item> GrpcGetAsync(GetRequest request) =>
        await _channel.UnaryAsync<GetRequest, Item>("aviorleans.bench.Bench/Get", request);

    public async Task<Item> PlainGetAsync(GetRequest request)
    {
        using var content = new ByteArrayContent(request.ToByteArray());
        content.Headers.ContentType = Protobuf;
        using var response = await _http.PostAsync(_plainGet, content);
        response.EnsureSuccessStatusCode();
        return Item.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
    }

    public async Task<int> GrpcWatchAsync(int count)
    {
        var received = 0;
        await foreach (var _ in _channel.ServerStreamingAsync<WatchRequest, Item>("aviorleans.bench.Bench/Watch", new WatchRequest { Count = count }))
        {
            received++;
        }

        return received;
    }

    public async Task<int> PlainWatchAsync(int count)
    {
        using var content = new ByteArrayContent(new WatchRequest { Count = count }.ToByteArray());
        content.Headers.ContentType = Protobuf;
        using var request = new HttpRequestMessage(HttpMethod.Post, _plainWatch)
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
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

    public void Dispose()
    {
        _channel.Dispose();
        _http.Dispose();
    }
}
