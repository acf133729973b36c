using AviOrleans.Persistence;
using Grpc.Core;

namespace AviOrleans.Gateway.Tests;

/// <summary>A store that cannot be reached is UNAVAILABLE with the store's message, however deep Orleans wrapped it.</summary>
public sealed class GatewayExceptionMapperTests
{
    private const string Method = "/avi.v1.VirtualServiceService/CreateVirtualService";

    [Fact]
    public void StoreUnavailable_IsUnavailable_NamingTheStore()
    {
        var store = new StoreUnavailableException("The PostgreSQL store 192.0.2.2:5432/postgres (schema s) is unavailable while reading grain state: Connection refused");

        var mapped = GatewayExceptionMapper.Map(store, Method, callCancelled: false);

        Assert.NotNull(mapped);
        Assert.Equal(StatusCode.Unavailable, mapped.StatusCode);
        Assert.Contains("store is unavailable", mapped.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("192.0.2.2:5432", mapped.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void StoreUnavailable_WrappedByAFailedActivation_IsUnavailable()
    {
        var activation = new Orleans.Runtime.OrleansException("Error activating grain", new InvalidOperationException("state", new StoreUnavailableException("The SQLite store /x.db is unavailable while reading grain state: locked")));

        var mapped = GatewayExceptionMapper.Map(activation, Method, callCancelled: false);

        Assert.Equal(StatusCode.Unavailable, mapped?.StatusCode);
        Assert.Contains("/x.db", mapped!.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void UnrelatedException_IsLeftToGrpc()
    {
        Assert.Null(GatewayExceptionMapper.Map(new InvalidOperationException("bug"), Method, callCancelled: false));
    }
}
