using AviOrleans.Testing;

namespace AviOrleans.Gateway.Tests;

/// <summary>tests/interop/avi-v1.js (node, @grpc/grpc-js, protos/avi/v1 loaded directly) against the gateway.</summary>
public sealed class InteropTests
{
    private static readonly string[] Protos =
    [
        "avi/v1/common.proto",
        "avi/v1/service_engine_group.proto",
        "avi/v1/service_engine.proto",
        "avi/v1/virtual_service.proto",
        "avi/v1/ha.proto",
    ];

    [Fact]
    public async Task AviV1_EveryMethodOverH2c_Passes()
    {
        await using var server = await GatewayServer.StartAsync();

        var output = await RunAsync(server, null);

        Assert.Contains("ok ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AviV1_EveryMethodOverTls_Passes()
    {
        using var tls = TlsFiles.Create();
        await using var server = await GatewayServer.StartAsync(tls);
        Assert.Equal("https", server.Address.Scheme);

        var output = await RunAsync(server, tls.CertificatePath);

        Assert.Contains("ok ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v1alpha")]
    public async Task Reflection_ListsAviV1AndCallsThroughReflectedTypes(string version)
    {
        await using var server = await GatewayServer.StartAsync();
        await Setup.CreateGroupAsync(server, new Api.V1.ServiceEngineGroup { Name = "g1" });
        var expect = new
        {
            version,
            services = Api.AviApi.ServiceNames,
            calls = new[]
            {
                new { service = "avi.v1.ServiceEngineGroupService", method = "GetServiceEngineGroup", request = new { name = "g1" }, expect = new { name = "g1", ha_mode = "HA_MODE_SHARED" } },
            },
        };

        await NodeInterop.RunAsync("reflection.js", server.Address, expect, token: GatewayServer.AdminToken);
    }

    [Fact]
    public async Task Health_EveryAviV1ServiceServing()
    {
        await using var server = await GatewayServer.StartAsync();

        await NodeInterop.RunAsync("health.js", server.Address, new { services = Api.AviApi.ServiceNames });
    }

    private static Task<string> RunAsync(GatewayServer server, string? caPath) =>
        NodeInterop.RunAsync(
            "avi-v1.js",
            server.Address,
            new { readerToken = GatewayServer.ReaderToken },
            protoRoots: [Path.Combine(NodeInterop.RepositoryRoot, "protos")],
            protos: Protos,
            tlsCaPath: caPath,
            token: GatewayServer.AdminToken);
}
