using AviOrleans.Grpc.Health.V1;
using AviOrleans.Grpc.Tests.Echo;
using AviOrleans.Testing;
using Microsoft.Extensions.Options;

namespace AviOrleans.Grpc.Tests;

/// <summary>Bearer tokens and roles: reader reads, admin mutates, health needs no token.</summary>
public sealed class GrpcAuthTests : IAsyncLifetime
{
    private const string ReaderToken = "reader-secret-7f3a";
    private const string AdminToken = "admin-secret-91c2";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private EchoServer? _server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private EchoServer Server => _server!;

    public async ValueTask InitializeAsync() => _server = await EchoServer.StartAsync(options =>
    {
        options.Authentication.RequireAuthentication = true;
        options.Authentication.Tokens.Add(new GrpcBearerToken { Name = "viewer", Role = GrpcRole.Reader, Token = ReaderToken });
        options.Authentication.Tokens.Add(new GrpcBearerToken { Name = "ops", Role = GrpcRole.Admin, Sha256 = GrpcBearerToken.HashToken(AdminToken) });
    });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task Call_MissingOrBadToken_Unauthenticated(string? token)
    {
        using var channel = Server.CreateChannel(new GrpcChannelOptions { BearerToken = token });

        var ex = await Assert.ThrowsAsync<RpcException>(() => Say(channel, "Say"));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task Call_NotBearerScheme_Unauthenticated()
    {
        using var channel = Server.CreateChannel();
        var headers = new Metadata { { "authorization", "Basic dXNlcjpwYXNz" } };

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<EchoRequest, EchoReply>("aviorleans.test.echo.Echo/Say", new EchoRequest(), new CallOptions(headers)).WaitAsync(Bound, Ct));

        Assert.Equal(new Status(StatusCode.Unauthenticated, "The authorization header must be 'Bearer <token>'."), ex.Status);
    }

    [Fact]
    public async Task Reader_ReadMethod_AllowedAsReader()
    {
        using var channel = Server.CreateChannel(new GrpcChannelOptions { BearerToken = ReaderToken });

        var reply = await Say(channel, "Say");

        Assert.Equal("viewer:Reader", reply.Caller);
    }

    [Fact]
    public async Task Reader_AdminMethod_PermissionDenied()
    {
        using var channel = Server.CreateChannel(new GrpcChannelOptions { BearerToken = ReaderToken });

        var ex = await Assert.ThrowsAsync<RpcException>(() => Say(channel, "Configure"));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal("/aviorleans.test.echo.Echo/Configure needs the admin role; token 'viewer' grants reader.", ex.Status.Detail);
    }

    [Fact]
    public async Task Admin_HashedToken_AllowedEverywhere()
    {
        using var channel = Server.CreateChannel(new GrpcChannelOptions { BearerToken = AdminToken });

        var configured = await Say(channel, "Configure");
        var read = await Say(channel, "Say");

        Assert.Equal("ops:Admin", configured.Caller);
        Assert.Equal("ops:Admin", read.Caller);
    }

    [Fact]
    public async Task Health_NoToken_Allowed()
    {
        using var channel = Server.CreateChannel();

        var health = await channel.UnaryAsync<HealthCheckRequest, HealthCheckResponse>("grpc.health.v1.Health/Check", new HealthCheckRequest()).WaitAsync(Bound, Ct);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Options_RequireAuthenticationWithoutTokens_StartFails()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => EchoServer.StartAsync(o => o.Authentication.RequireAuthentication = true));

        Assert.Contains("no token is configured", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_TokenWithoutRoleOrSecret_StartFails()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => EchoServer.StartAsync(o =>
            o.Authentication.Tokens.Add(new GrpcBearerToken { Name = "x", Role = GrpcRole.Anonymous })));

        Assert.Contains("set exactly one of Token and Sha256", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Role must be Reader or Admin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrpcJs_TokensAndRoles_StatusesMatch()
    {
        var protos = Path.Combine(NodeInterop.RepositoryRoot, "tests", "AviOrleans.Grpc.Tests", "Protos");
        const string echo = "aviorleans.test.echo.Echo";
        var calls = new object[]
        {
            new { service = echo, method = "Say", token = (string?)null, code = 16 },
            new { service = echo, method = "Say", token = (string?)"nope", code = 16 },
            new { service = echo, method = "Say", token = (string?)ReaderToken, code = 0 },
            new { service = echo, method = "Configure", token = (string?)ReaderToken, code = 7 },
            new { service = echo, method = "Configure", token = (string?)AdminToken, code = 0 },
            new { service = "grpc.health.v1.Health", method = "Check", token = (string?)null, code = 0 },
        };

        await NodeInterop.RunAsync("auth.js", Server.H2cAddress, new { calls }, [protos, Path.Combine(NodeInterop.RepositoryRoot, "protos")], ["echo.proto", "grpc/health/v1/health.proto"]);
    }

    private static Task<EchoReply> Say(GrpcChannel channel, string method) =>
        channel.UnaryAsync<EchoRequest, EchoReply>("aviorleans.test.echo.Echo/" + method, new EchoRequest { Text = "t" }).WaitAsync(Bound, Ct);
}
