using System.Net;
using System.Net.Sockets;
using AviOrleans.Grains.DataPlane.Internal;

namespace AviOrleans.DataPlane.Tests;

/// <summary>The silo-port check on real loopback sockets: only a port nobody listens on counts as a process gone.</summary>
public sealed class SiloPortProbeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Refuses_NothingListensOnThePort_True()
    {
        var closed = ClosedPort();

        Assert.True(await SiloPortProbe.RefusesAsync(closed, Timeout, Ct));
    }

    [Fact]
    public async Task Refuses_AListenerAnswers_False()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();

        Assert.False(await SiloPortProbe.RefusesAsync((IPEndPoint)listener.LocalEndpoint, Timeout, Ct));
    }

    [Fact]
    public async Task Refuses_AListenerTooBusyToAccept_False()
    {
        // A backlog of one, already taken: the kernel leaves the next SYN unanswered instead of refusing it, as for a
        // frozen silo.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        using var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await first.ConnectAsync(endpoint, Ct);
        using var second = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _ = second.ConnectAsync(endpoint, Ct).AsTask().ContinueWith(static t => t.Exception, TaskScheduler.Default);

        Assert.False(await SiloPortProbe.RefusesAsync(endpoint, TimeSpan.FromMilliseconds(300), Ct));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IPEndPoint ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)socket.LocalEndPoint!;
    }
}
