namespace AviOrleans.Grpc.Tests;

/// <summary>One Echo server shared by the tests that need no special options.</summary>
public sealed class EchoServerFixture : IAsyncLifetime
{
    private EchoServer? _server;

    public EchoServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async ValueTask InitializeAsync() => _server = await EchoServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
