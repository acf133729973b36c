using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AviOrleans.Grpc.Internal;

/// <summary>Runs one HTTP request as a gRPC call: protocol checks, authentication, handler, status.</summary>
internal sealed class GrpcCallProcessor
{
    private readonly GrpcServerOptions _options;
    private readonly GrpcServiceRegistry _registry;
    private readonly BearerTokenAuthenticator _authenticator;
    private readonly GrpcStatusMapper _mapper;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;

    public GrpcCallProcessor(IOptions<GrpcServerOptions> options, GrpcServiceRegistry registry, ILoggerFactory loggerFactory, IServiceProvider services)
    {
        _stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        _options = options.Value;
        _registry = registry;
        _logger = loggerFactory.CreateLogger("AviOrleans.Grpc.Server");
        _authenticator = new BearerTokenAuthenticator(_options.Authentication);
        _mapper = new GrpcStatusMapper(_options, _logger);
    }

    public async Task ProcessAsync(HttpContext http, GrpcMethodDefinition method)
    {
        if (!await CheckProtocolAsync(http))
        {
            return;
        }

        var call = new GrpcServerCall(http, method, _options, _logger, _stopping);
        try
        {
            try
            {
                call.ReadRequestEncoding();
                var caller = _authenticator.Authenticate(http, method);
                call.Start(caller);
                await method.InvokeAsync(call);
                await call.CompleteAsync(call.Context.Status, call.Context.HasResponseTrailers ? call.Context.ResponseTrailers : null, resetStream: false);
            }
            catch (Exception ex)
            {
                var rpc = _mapper.Map(ex, call);
                if (rpc.StatusCode != StatusCode.Unknown)
                {
                    GrpcServerLog.CallFailed(_logger, method.Path, rpc.StatusCode, rpc.Status.Detail);
                }

                var trailers = rpc.Trailers;
                if (call.HasContext && call.Context.HasResponseTrailers)
                {
                    trailers = new Metadata();
                    foreach (var entry in call.Context.ResponseTrailers)
                    {
                        trailers.Add(entry);
                    }

                    foreach (var entry in rpc.Trailers)
                    {
                        trailers.Add(entry);
                    }
                }

                await call.CompleteAsync(rpc.Status, trailers, resetStream: false);
            }
        }
        finally
        {
            await call.DisposeAsync();
        }
    }

    /// <summary>The catch-all route: a path that names no mapped method.</summary>
    public async Task ProcessUnimplementedAsync(HttpContext http)
    {
        if (!GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
        {
            // Not a gRPC request at all: an ordinary 404 for whatever else the host serves.
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!await CheckProtocolAsync(http))
        {
            return;
        }

        var path = http.Request.Path.Value ?? string.Empty;
        var slash = path.IndexOf('/', 1);
        var service = slash > 1 ? path[1..slash] : string.Empty;
        var detail = _registry.Contains(service) ? "Method is unimplemented." : "Service is unimplemented.";
        GrpcServerLog.RequestRefused(_logger, path, detail);
        WriteTrailersOnly(http.Response, StatusCode.Unimplemented, detail);
    }

    private async ValueTask<bool> CheckProtocolAsync(HttpContext http)
    {
        var request = http.Request;
        var path = request.Path.Value ?? string.Empty;
        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            // grpc-dotnet's answer: 426 Upgrade Required, naming the protocol that was used.
            var detail = $"Request protocol '{request.Protocol}' is not supported. gRPC needs HTTP/2.";
            GrpcServerLog.RequestRefused(_logger, path, detail);
            http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            http.Response.Headers.Upgrade = "HTTP/2";
            await WriteRefusalAsync(http.Response, detail);
            return false;
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            // PROTOCOL-HTTP2.md: a content-type that is not application/grpc gets HTTP 415.
            var detail = $"Content-Type '{request.ContentType}' is not supported.";
            GrpcServerLog.RequestRefused(_logger, path, detail);
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await WriteRefusalAsync(http.Response, detail);
            return false;
        }

        return true;
    }

    private static async Task WriteRefusalAsync(HttpResponse response, string detail)
    {
        response.Headers[GrpcProtocol.StatusHeader] = ((int)StatusCode.Internal).ToString(CultureInfo.InvariantCulture);
        response.Headers[GrpcProtocol.MessageHeader] = GrpcProtocol.EncodeMessage(detail);
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(detail + "\n");
    }

    private static void WriteTrailersOnly(HttpResponse response, StatusCode code, string detail)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.StatusHeader] = ((int)code).ToString(CultureInfo.InvariantCulture);
        response.Headers[GrpcProtocol.MessageHeader] = GrpcProtocol.EncodeMessage(detail);
    }
}
