using System.Net;
using AviOrleans.Testing.Lan;

namespace AviOrleans.EndToEnd.Tests;

/// <summary>The first exchange of the PostgreSQL protocol, from inside a host's namespace.</summary>
internal static class PostgreSql
{
    /// <summary>Sends an SSLRequest (length 8, code 80877103) and returns the server's one-byte answer: 'S' or 'N'.
    /// Only a PostgreSQL server answers it, so it proves the path reaches the server itself.</summary>
    public static async Task<byte> SslRequestAsync(LanNode from, IPEndPoint store, CancellationToken cancellationToken)
    {
        using var socket = await from.CreateSocketAsync();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(store, bound.Token);
        await socket.SendAsync(new byte[] { 0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F }, System.Net.Sockets.SocketFlags.None, bound.Token);
        var answer = new byte[1];
        var read = await socket.ReceiveAsync(answer, System.Net.Sockets.SocketFlags.None, bound.Token);
        Assert.Equal(1, read);
        return answer[0];
    }
}
