using AviOrleans.Grpc.Reflection.V1;
using AviOrleans.Testing;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace AviOrleans.Grpc.Tests;

/// <summary>Server reflection, v1 and v1alpha, as grpcurl uses it.</summary>
public sealed class GrpcReflectionTests(EchoServerFixture fixture) : IClassFixture<EchoServerFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("grpc.reflection.v1")]
    [InlineData("grpc.reflection.v1alpha")]
    public async Task ListServices_EitherVersion_ListsEveryMappedService(string package)
    {
        var responses = await AskAsync(package, new ServerReflectionRequest { ListServices = "*" });

        var names = Assert.Single(responses).ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("aviorleans.test.echo.Echo", names);
        Assert.Contains("grpc.health.v1.Health", names);
        Assert.Contains("grpc.reflection.v1.ServerReflection", names);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", names);
    }

    [Theory]
    [InlineData("aviorleans.test.echo.Echo")]
    [InlineData("aviorleans.test.echo.Echo.Say")]
    [InlineData("aviorleans.test.echo.EchoRequest")]
    public async Task FileContainingSymbol_ServiceMethodOrMessage_FileWithDependencies(string symbol)
    {
        var responses = await AskAsync("grpc.reflection.v1", new ServerReflectionRequest { FileContainingSymbol = symbol, Host = "h" });

        var response = Assert.Single(responses);
        Assert.Equal("h", response.ValidHost);
        var files = response.FileDescriptorResponse.FileDescriptorProto.ToList();
        var protos = files.Select(FileDescriptorProto.Parser.ParseFrom).ToList();
        Assert.Equal("aviorleans.test.echo", protos[0].Package);
        Assert.Contains(protos, p => p.Name == "google/protobuf/empty.proto");

        // The set is complete: it builds with nothing else.
        var built = FileDescriptor.BuildFromByteStrings(files.AsEnumerable().Reverse());
        Assert.Contains(built, f => f.FindTypeByName<ServiceDescriptor>("Echo") is not null);
    }

    [Fact]
    public async Task Requests_SeveralOnOneStream_OneAnswerEachInOrder()
    {
        var responses = await AskAsync(
            "grpc.reflection.v1",
            new ServerReflectionRequest { FileByFilename = "google/protobuf/empty.proto" },
            new ServerReflectionRequest { FileByFilename = "no/such.proto" },
            new ServerReflectionRequest { FileContainingSymbol = "no.such.Symbol" },
            new ServerReflectionRequest { AllExtensionNumbersOfType = "aviorleans.test.echo.EchoRequest" });

        Assert.Equal(4, responses.Count);
        Assert.Equal("google/protobuf/empty.proto", FileDescriptorProto.Parser.ParseFrom(responses[0].FileDescriptorResponse.FileDescriptorProto[0]).Name);
        Assert.Equal((int)StatusCode.NotFound, responses[1].ErrorResponse.ErrorCode);
        Assert.Equal((int)StatusCode.NotFound, responses[2].ErrorResponse.ErrorCode);
        Assert.Equal("aviorleans.test.echo.EchoRequest", responses[3].AllExtensionNumbersResponse.BaseTypeName);
        Assert.Equal("no/such.proto", responses[1].OriginalRequest.FileByFilename);
    }

    private async Task<List<ServerReflectionResponse>> AskAsync(string package, params ServerReflectionRequest[] requests)
    {
        using var http = RawGrpc.CreateHttpClient();
        var body = requests.SelectMany(r => RawGrpc.Frame(r)).ToArray();

        var result = await RawGrpc.SendAsync(http, fixture.Server.H2cAddress, $"/{package}.ServerReflection/ServerReflectionInfo", body).WaitAsync(Bound, Ct);

        Assert.Equal(StatusCode.OK, result.Status);
        return result.Messages.Select(ServerReflectionResponse.Parser.ParseFrom).ToList();
    }
}
