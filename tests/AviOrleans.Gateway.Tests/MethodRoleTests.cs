using AviOrleans.Api;
using AviOrleans.Testing;
using GrpcCode = Grpc.Core.StatusCode;

namespace AviOrleans.Gateway.Tests;

/// <summary>
/// Every method of every avi.v1 service, taken from the API's descriptors (so a method added to a .proto is
/// covered without touching this test): reads are open to the reader role, every mutation and operation
/// needs admin, and nothing is open without a token.
/// </summary>
public sealed class MethodRoleTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static TheoryData<string, bool> Methods()
    {
        var data = new TheoryData<string, bool>();
        foreach (var service in AviApi.Services)
        {
            foreach (var method in service.Methods)
            {
                data.Add($"/{service.FullName}/{method.Name}", IsRead(method.Name));
            }
        }

        return data;
    }

    [Fact]
    public void Methods_FromDescriptors_HoldReadsAndMutations()
    {
        var methods = Methods().Select(row => (row.Data.Item1, row.Data.Item2)).ToList();

        Assert.Contains(methods, m => m.Item2);
        Assert.Contains(methods, m => !m.Item2);
        Assert.Contains(("/avi.v1.HaService/UpgradeServiceEngineGroup", false), methods);
        Assert.Contains(("/avi.v1.HaService/WatchPlacements", true), methods);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Method_EachRole_GetsAccessByWhetherItReads(string path, bool read)
    {
        await using var server = await GatewayServer.StartAsync();
        using var http = RawGrpc.CreateHttpClient();

        var reader = await CallAsync(http, server, path, GatewayServer.ReaderToken);
        var admin = await CallAsync(http, server, path, GatewayServer.AdminToken);
        var anonymous = await CallAsync(http, server, path, null);

        // An empty request is never valid for a mutation, so an admin call that gets past the role check still changes nothing.
        Assert.NotEqual(GrpcCode.Unimplemented, admin.Status);
        Assert.NotEqual(GrpcCode.PermissionDenied, admin.Status);
        Assert.NotEqual(GrpcCode.Unauthenticated, admin.Status);
        Assert.Equal(GrpcCode.Unauthenticated, anonymous.Status);
        if (read)
        {
            Assert.NotEqual(GrpcCode.PermissionDenied, reader.Status);
            Assert.NotEqual(GrpcCode.Unauthenticated, reader.Status);
        }
        else
        {
            Assert.Equal(GrpcCode.PermissionDenied, reader.Status);
        }

        var groups = await server.ReaderAsync<Api.V1.ListServiceEngineGroupsRequest, Api.V1.ListServiceEngineGroupsResponse>("ServiceEngineGroupService/ListServiceEngineGroups", new());
        Assert.Empty(groups.ServiceEngineGroups);
    }

    private static bool IsRead(string method) =>
        method.StartsWith("Get", StringComparison.Ordinal)
        || method.StartsWith("List", StringComparison.Ordinal)
        || method.StartsWith("Watch", StringComparison.Ordinal);

    private static Task<RawGrpcResult> CallAsync(HttpClient http, GatewayServer server, string path, string? token)
    {
        // A short deadline ends the watch stream; every other call answers at once.
        var headers = new List<(string, string)> { ("grpc-timeout", "2S") };
        if (token is not null)
        {
            headers.Add(("authorization", "Bearer " + token));
        }

        return RawGrpc.SendAsync(http, server.Address, path, RawGrpc.Frame([]), headers: headers)
            .WaitAsync(Bound, TestContext.Current.CancellationToken);
    }
}
