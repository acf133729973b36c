using AviOrleans.Runtime.AdoNet;
using System.Net;
using Npgsql;

namespace AviOrleans.Testing.Stores;

/// <summary>Puts a <see cref="TcpProxy"/> in front of the test server and gives store options that go through it.</summary>
public static class PostgreSqlProxy
{
    public static (TcpProxy Proxy, PostgreSqlStoreOptions Options) Create(string clusterOrServiceId)
    {
        var options = PostgreSqlTestServer.Options(clusterOrServiceId);
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        var address = IPAddress.TryParse(builder.Host, out var ip) ? ip : Dns.GetHostAddresses(builder.Host!)[0];
        var proxy = new TcpProxy(new IPEndPoint(address, builder.Port));
        builder.Host = "127.0.0.1";
        builder.Port = proxy.Port;
        options.ConnectionString = builder.ToString();
        options.CommandTimeout = TimeSpan.FromSeconds(5);
        return (proxy, options);
    }
}
