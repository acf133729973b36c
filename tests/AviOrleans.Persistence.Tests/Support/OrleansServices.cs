using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace AviOrleans.Persistence.Tests.Support;

/// <summary>
/// The service provider of a silo or a client as Orleans builds it (<c>AddOrleans</c>, <c>AddOrleansClient</c>),
/// without starting it: a test resolves one provider (a membership table, a reminder table, a gateway list) and
/// calls it as the runtime would, several instances standing for several silos' views of one store.
/// </summary>
public sealed class OrleansServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private OrleansServices(ServiceProvider provider) => _provider = provider;

    public static OrleansServices Silo(string clusterId, Action<ISiloBuilder> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
            configure(silo);
        });
        return new OrleansServices(services.BuildServiceProvider());
    }

    public static OrleansServices Client(string clusterId, Action<IClientBuilder> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
            configure(client);
        });
        return new OrleansServices(services.BuildServiceProvider());
    }

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}
