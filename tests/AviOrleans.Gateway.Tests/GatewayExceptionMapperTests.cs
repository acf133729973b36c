using AviOrleans.Persistence;
using Grpc.Core;

namespace AviOrleans.Gateway.Tests;

/// <summary>A store that cannot be reached is UNAVAILABLE with the store's message, however deep Orleans wrapped it; a
/// grain call that could not be delivered is UNAVAILABLE, one that timed out DEADLINE_EXCEEDED.</summary>
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
    public void GrainCallRejected_IsUnavailable_CallAgain()
    {
        var mapped = GatewayExceptionMapper.Map(new Orleans.Runtime.SiloUnavailableException("silo S127.0.0.1:11111 is dead"), Method, callCancelled: false);

        Assert.Equal(StatusCode.Unavailable, mapped?.StatusCode);
        Assert.Contains("call again", mapped!.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void GrainCallTimedOut_IsDeadlineExceeded_OutcomeUnknown()
    {
        // The write may still land after the timeout: a client must read before it repeats it.
        var mapped = GatewayExceptionMapper.Map(new TimeoutException("Response did not arrive on time in 00:00:30"), Method, callCancelled: false);

        Assert.Equal(StatusCode.DeadlineExceeded, mapped?.StatusCode);
        Assert.Contains("may or may not have been carried out", mapped!.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void UnrelatedException_IsLeftToGrpc()
    {
        Assert.Null(GatewayExceptionMapper.Map(new InvalidOperationException("bug"), Method, callCancelled: false));
    }
}
