using System.Buffers;
using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Bench.Grpc;

/// <summary>
/// One Kestrel h2c endpoint serving the same handler twice: as gRPC on Grpc.AspNetCore
/// (/aviorleans.bench.Bench/...) and as plain HTTP/2 POSTs of bare protobuf bodies (/plain/...),
/// the floor with no gRPC layer.
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
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2));
        builder.Services.AddGrpc(options => options.EnableDetailedErrors = false);

        // One instance, as the gateway registers its services: not one activation per call.
        builder.Services.AddSingleton<BenchService>();
        var app = builder.Build();
        app.MapGrpcService<BenchService>();

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

    /// <summary>The bench service on the base class Grpc.Tools generates.</summary>
    private sealed class BenchService : Bench.BenchBase
    {
        public override Task<Item> Get(GetRequest request, ServerCallContext context) => Task.FromResult(BenchHandlers.Get(request));

        public override async Task Watch(WatchRequest request, IServerStreamWriter<Item> responseStream, ServerCallContext context)
        {
            for (var i = 0; i < request.Count; i++)
            {
                await responseStream.WriteAsync(BenchHandlers.Event(i), context.CancellationToken);
            }
        }
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
