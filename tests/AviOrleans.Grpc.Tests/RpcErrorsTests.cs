namespace AviOrleans.Grpc.Tests;

/// <summary>Rich errors: status, readable message and google.rpc details agree.</summary>
public sealed class RpcErrorsTests
{
    [Fact]
    public void BadRequest_SeveralFields_MessageJoinsThemAndDetailsListThem()
    {
        var ex = RpcErrors.BadRequest(null, ("ha_mode", "must be set"), ("max_se", "must be at least 2"));

        Assert.Equal(new Status(StatusCode.InvalidArgument, "ha_mode: must be set; max_se: must be at least 2"), ex.Status);
        Assert.Equal([("ha_mode", "must be set"), ("max_se", "must be at least 2")], ex.GetFieldViolations());
    }

    [Fact]
    public void BadRequest_NoField_Refused() =>
        Assert.Throws<ArgumentException>(() => RpcErrors.BadRequest("nothing"));

    [Fact]
    public void NotFound_Resource_NamedInDetails()
    {
        var ex = RpcErrors.NotFound("virtualservice", "web");

        Assert.Equal(new Status(StatusCode.NotFound, "virtualservice 'web' not found"), ex.Status);
        Assert.Equal("web", ex.GetResourceInfo()!.ResourceName);
        Assert.Empty(ex.GetFieldViolations());
    }

    [Fact]
    public void FailedPrecondition_Violations_RoundTrip()
    {
        var ex = RpcErrors.FailedPrecondition("VIP in use", ("VIP_IN_USE", "192.0.2.10", "used by virtualservice 'api'"));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal([("VIP_IN_USE", "192.0.2.10", "used by virtualservice 'api'")], ex.GetPreconditionViolations());
    }

    [Fact]
    public void GetRpcStatus_CorruptDetails_Null()
    {
        var ex = new RpcException(new Status(StatusCode.Internal, "x"), new Metadata { { RpcException.StatusDetailsTrailer, new byte[] { 0xFF, 0xFF, 0xFF } } });

        Assert.Null(ex.GetRpcStatus());
        Assert.Empty(ex.GetFieldViolations());
    }
}
