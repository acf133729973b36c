using System.Buffers;
using System.Net;
using AviOrleans.Grpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Bench.Grpc;

/// <summary>
/// One Kestrel h2c endpoint serving the same handler twice: as gRPC (/aviorleans.bench.Bench/...)
/// and as plain HTTP/2 POSTs of bare protobuf bodies (/plain/...), the floor with no gRPC layer.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<BenchServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("BENCH_LOG") is not null)
        {
            builder.Logging.AddConsole();
        }
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseGrpcH2c()));
        builder.Services.AddGrpcTransport();
        var app = builder.Build();

        app.MapGrpcService(GrpcServiceDefinition.Create(BenchReflection.Descriptor, "Bench")
            .AddUnary<GetRequest, Item>("Get", (request, _) => Task.FromResult(BenchHandlers.Get(request)))
            .AddServerStreaming<WatchRequest, Item>("Watch", async (request, stream, context) =>
            {
                for (var i = 0; i < request.Count; i++)
                {
                    await stream.WriteAsync(BenchHandlers.Event(i), context.CancellationToken);
                }
            }));

        app.MapPost("/plain/get", async (HttpContext http) =>
        {
            var request = await ReadMessageAsync(http.Request, GetRequest.Parser);
            var reply = BenchHandlers.Get(request);
            http.Response.ContentType = "application/x-protobuf";
            http.Response.ContentLength = reply.CalculateSize();

            // Kestrel refuses Advance before the first GetSpan, and protobuf starts with Advance(0).
            _ = http.Response.BodyWriter.GetSpan();
            reply.WriteTo(http.Response.BodyWriter);
        });

        app.MapPost("/plain/watch", async (HttpContext http) =>
        {
            var request = await ReadMessageAsync(http.Request, WatchRequest.Parser);
            http.Response.ContentType = "application/x-protobuf";
            var writer = http.Response.BodyWriter;
            for (var i = 0; i < request.Count; i++)
            {
                // Varint-delimited and flushed one by one: the same per-message work as a stream.
                var item = BenchHandlers.Event(i);
                writer.Advance(Varint.Write(writer.GetSpan(5), (uint)item.CalculateSize()));
                item.WriteTo(writer);
                await writer.FlushAsync(http.RequestAborted);
            }
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new BenchServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<T> ReadMessageAsync<T>(HttpRequest request, MessageParser<T> parser)
        where T : IMessage<T>
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync();
            if (result.IsCompleted)
            {
                var message = parser.ParseFrom(result.Buffer);
                reader.AdvanceTo(result.Buffer.End);
                return message;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
