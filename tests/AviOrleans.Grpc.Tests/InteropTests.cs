using AviOrleans.Testing;
namespace AviOrleans.Grpc.Tests;

/// <summary>The transport as an independent client sees it: @grpc/grpc-js over h2c and TLS.</summary>
public sealed class InteropTests : IAsyncLifetime
{
    private const string Echo = "aviorleans.test.echo.Echo";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly TlsFiles _tls = TlsFiles.Create();
    private EchoServer? _server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string EchoProtos => Path.Combine(NodeInterop.RepositoryRoot, "tests", "AviOrleans.Grpc.Tests", "Protos");

    private EchoServer Server => _server!;

    public async ValueTask InitializeAsync() => _server = await EchoServer.StartAsync(tls: _tls);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _tls.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GrpcJs_EchoEveryFeature_AllChecksPass(bool tls)
    {
        var suffix = tls ? "tls" : "h2c";
        var expect = new { cancelProbe = "node-cancel-" + suffix, deadlineProbe = "node-deadline-" + suffix };

        await NodeInterop.RunAsync("echo.js", tls ? Server.TlsAddress! : Server.H2cAddress, expect, [EchoProtos], ["echo.proto"], tls ? _tls.CertificatePath : null);

        // The handlers saw their tokens fire: the deadline and the client's RST_STREAM reached them.
        await Server.Echo.Probe(expect.deadlineProbe).Cancelled.Task.WaitAsync(Bound, Ct);
        await Server.Echo.Probe(expect.cancelProbe).Cancelled.Task.WaitAsync(Bound, Ct);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v1alpha")]
    public async Task GrpcJs_ReflectionClient_ListsServicesAndCallsFromReflectedTypes(string version)
    {
        var expect = new
        {
            version,
            services = new[] { Echo, "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection" },
            calls = new[] { new { service = Echo, method = "Say", request = new { text = "via reflection" }, expect = new { text = "via reflection" } } },
        };

        await NodeInterop.RunAsync("reflection.js", Server.H2cAddress, expect);
    }

    [Fact]
    public async Task GrpcJs_HealthOverTls_ServingAndNotFound()
    {
        await NodeInterop.RunAsync("health.js", Server.TlsAddress!, new { services = new[] { Echo } }, tlsCaPath: _tls.CertificatePath);
    }
}
