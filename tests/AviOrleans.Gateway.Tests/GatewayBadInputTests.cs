using System.IO.Compression;
using System.Net;
using AviOrleans.Api.V1;
using AviOrleans.Testing;
using Google.Protobuf;
using GrpcCode = Grpc.Core.StatusCode;

namespace AviOrleans.Gateway.Tests;

/// <summary>Transport-level bad input against the gateway itself: each gets the right status, nothing changes, and the gateway keeps serving.</summary>
public sealed class GatewayBadInputTests
{
    private const string Create = "/avi.v1.ServiceEngineGroupService/CreateServiceEngineGroup";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, byte[], string, GrpcCode, string> MalformedRequests()
    {
        var oversize = new CreateServiceEngineGroupRequest { ServiceEngineGroup = new ServiceEngineGroup { Name = new string('a', 5 * 1024 * 1024) } };
        var valid = new CreateServiceEngineGroupRequest { ServiceEngineGroup = new ServiceEngineGroup { Name = "g-bad" } }.ToByteArray();
        return new()
        {
            { "truncated header", [0, 0, 0], Create, GrpcCode.Internal, "Incomplete message." },
            { "empty body", [], Create, GrpcCode.Internal, "Incomplete message." },

            // Grpc.AspNetCore reports a frame flag other than 0/1 as the handler's failure (UNKNOWN, no detail): refused all the same.
            { "bad compressed flag", RawGrpc.Frame(valid, flag: 7), Create, GrpcCode.Unknown, "Exception was thrown by handler." },
            { "compressed flag without grpc-encoding", RawGrpc.Frame(valid, flag: 1), Create, GrpcCode.Internal, "Request did not include grpc-encoding value with compressed message." },
            { "oversize message", RawGrpc.Frame(oversize), Create, GrpcCode.ResourceExhausted, "Received message exceeds the maximum configured message size." },
            { "declared length over the limit", RawGrpc.Frame(new byte[16], declaredLength: 5_000_000), Create, GrpcCode.ResourceExhausted, "Received message exceeds the maximum configured message size." },
            { "truncated message", RawGrpc.Frame(valid, declaredLength: (uint)valid.Length + 10), Create, GrpcCode.Internal, "Incomplete message." },
            { "garbage protobuf", RawGrpc.Frame([0xFF, 0xFF, 0xFF, 0xFF, 0xFF]), Create, GrpcCode.Internal, "Failed to deserialize request message." },
            { "two messages for a unary call", [.. RawGrpc.Frame(valid), .. RawGrpc.Frame(valid)], Create, GrpcCode.Internal, "Additional data after the message received." },
            { "unknown method", RawGrpc.Frame(valid), "/avi.v1.ServiceEngineGroupService/PatchServiceEngineGroup", GrpcCode.Unimplemented, "Method is unimplemented." },
            { "unknown service", RawGrpc.Frame(valid), "/avi.v1.PoolService/CreatePool", GrpcCode.Unimplemented, "Service is unimplemented." },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task Malformed_Request_StatusNothingCreatedAndGatewayKeepsServing(string name, byte[] body, string path, GrpcCode expected, string detail)
    {
        await using var server = await GatewayServer.StartAsync();
        using var http = RawGrpc.CreateHttpClient();

        var result = await RawGrpc.SendAsync(http, server.Address, path, body, headers: [Admin]).WaitAsync(Bound, Ct);

        Assert.True(result.HttpStatus == HttpStatusCode.OK, name);
        Assert.Equal(expected, result.Status);
        Assert.Equal(detail, result.Message);
        Assert.Empty(result.Messages);
        await AssertNothingCreatedAndStillServingAsync(server);
    }

    public static TheoryData<string, byte[], string, GrpcCode, string> CompressedRequests()
    {
        var valid = new CreateServiceEngineGroupRequest { ServiceEngineGroup = new ServiceEngineGroup { Name = "g-bad" } }.ToByteArray();
        return new()
        {
            // Grpc.AspNetCore decompresses before any marshaller sees the bytes and reports a corrupt stream as UNKNOWN.
            { "corrupt gzip", RawGrpc.Frame([1, 2, 3, 4, 5, 6], flag: 1), "gzip", GrpcCode.Unknown, "Exception was thrown by handler." },
            { "gzip bomb over the limit", RawGrpc.Frame(Gzip(new byte[10 * 1024 * 1024]), flag: 1), "gzip", GrpcCode.ResourceExhausted, "Received message exceeds the maximum configured message size." },
            { "unsupported grpc-encoding", RawGrpc.Frame(valid, flag: 1), "br", GrpcCode.Unimplemented, "Unsupported grpc-encoding value 'br'. Supported encodings: identity, gzip" },
            { "deflate (not offered)", RawGrpc.Frame(valid, flag: 1), "deflate", GrpcCode.Unimplemented, "Unsupported grpc-encoding value 'deflate'. Supported encodings: identity, gzip" },
        };
    }

    [Theory]
    [MemberData(nameof(CompressedRequests))]
    public async Task Compressed_BadRequest_StatusNothingCreatedAndGatewayKeepsServing(string name, byte[] body, string encoding, GrpcCode expected, string detail)
    {
        await using var server = await GatewayServer.StartAsync();
        using var http = RawGrpc.CreateHttpClient();

        var result = await RawGrpc.SendAsync(http, server.Address, Create, body, headers: [Admin, ("grpc-encoding", encoding)]).WaitAsync(Bound, Ct);

        Assert.True(result.HttpStatus == HttpStatusCode.OK, name);
        Assert.Equal(expected, result.Status);
        Assert.Equal(detail, result.Message);
        Assert.Empty(result.Messages);
        await AssertNothingCreatedAndStillServingAsync(server);
    }

    [Fact]
    public async Task Compressed_GzipRequest_Created()
    {
        await using var server = await GatewayServer.StartAsync();
        using var http = RawGrpc.CreateHttpClient();
        var request = new CreateServiceEngineGroupRequest { ServiceEngineGroup = new ServiceEngineGroup { Name = "g-zipped" } };

        var result = await RawGrpc.SendAsync(http, server.Address, Create, RawGrpc.Frame(Gzip(request.ToByteArray()), flag: 1),
            headers: [Admin, ("grpc-encoding", "gzip"), ("grpc-accept-encoding", "gzip")]).WaitAsync(Bound, Ct);

        // Responses are not compressed (ResponseCompressionAlgorithm is off): small messages gain nothing from it.
        Assert.Equal(GrpcCode.OK, result.Status);
        Assert.Equal("g-zipped", ServiceEngineGroup.Parser.ParseFrom(Assert.Single(result.Messages)).Name);
        var created = await server.ReaderAsync<GetServiceEngineGroupRequest, ServiceEngineGroup>("ServiceEngineGroupService/GetServiceEngineGroup", new() { Name = "g-zipped" });
        Assert.Equal("g-zipped", created.Name);
    }

    [Fact]
    public async Task ContentType_GrpcProto_Accepted()
    {
        await using var server = await GatewayServer.StartAsync();
        using var http = RawGrpc.CreateHttpClient();
        var body = RawGrpc.Frame(new CreateServiceEngineGroupRequest { ServiceEngineGroup = new ServiceEngineGroup { Name = "g-proto" } });

        var result = await RawGrpc.SendAsync(http, server.Address, Create, body, "application/grpc+proto", [Admin]).WaitAsync(Bound, Ct);

        Assert.Equal(GrpcCode.OK, result.Status);
        Assert.Equal("g-proto", ServiceEngineGroup.Parser.ParseFrom(Assert.Single(result.Messages)).Name);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task ContentType_NotGrpc_Http415AndGatewayKeepsServing(string? contentType)
    {
        await using var server = await GatewayServer.StartAsync();
        using var http = RawGrpc.CreateHttpClient();
        var body = RawGrpc.Frame(new CreateServiceEngineGroupRequest { ServiceEngineGroup = new ServiceEngineGroup { Name = "g-bad" } });

        var result = await RawGrpc.SendAsync(http, server.Address, Create, body, contentType, [Admin]).WaitAsync(Bound, Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, result.HttpStatus);
        Assert.Equal(GrpcCode.Internal, result.Status);
        // Grpc.AspNetCore: "Content-Type 'X' is not supported." or "Content-Type is missing from the request."
        Assert.StartsWith("Content-Type ", result.Message, StringComparison.Ordinal);
        await AssertNothingCreatedAndStillServingAsync(server);
    }

    [Fact]
    public async Task Http11_Request_RefusedAndGatewayKeepsServing()
    {
        await using var server = await GatewayServer.StartAsync();
        using var http = RawGrpc.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Address, Create))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(RawGrpc.Frame(new CreateServiceEngineGroupRequest { ServiceEngineGroup = new ServiceEngineGroup { Name = "g-bad" } })),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayServer.AdminToken);

        using var response = await http.SendAsync(request, Ct).WaitAsync(Bound, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("HTTP/2 only endpoint", text, StringComparison.Ordinal);
        await AssertNothingCreatedAndStillServingAsync(server);
    }

    [Theory]
    [InlineData("GARBAGE / HTTP/9.9\r\nHost: nowhere\r\n\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff")]
    public async Task RawSocket_GarbageFrames_ConnectionClosedAndGatewayKeepsServing(string garbage)
    {
        await using var server = await GatewayServer.StartAsync();

        // The server answers with at most a GOAWAY, then closes the connection.
        await RawGrpc.SendGarbageUntilClosedAsync(server.Address, garbage, Bound);

        await AssertNothingCreatedAndStillServingAsync(server);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static (string, string) Admin => ("authorization", "Bearer " + GatewayServer.AdminToken);

    private static async Task AssertNothingCreatedAndStillServingAsync(GatewayServer server)
    {
        var before = await server.ReaderAsync<ListServiceEngineGroupsRequest, ListServiceEngineGroupsResponse>("ServiceEngineGroupService/ListServiceEngineGroups", new()).WaitAsync(Bound, Ct);
        Assert.Empty(before.ServiceEngineGroups);

        var created = await Setup.CreateGroupAsync(server, new ServiceEngineGroup { Name = "g-after" }).WaitAsync(Bound, Ct);
        Assert.Equal("g-after", created.Name);
    }
}
