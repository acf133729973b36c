using AviOrleans.Grpc.Tests.Echo;

namespace AviOrleans.Grpc.Tests;

/// <summary>Service definitions are checked against the .proto at start-up.</summary>
public sealed class GrpcServiceDefinitionTests
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor EchoDescriptor = EchoReflection.Descriptor.Services[0];

    [Fact]
    public void Create_ByFileAndName_FindsService()
    {
        var definition = GrpcServiceDefinition.Create(EchoReflection.Descriptor, "Echo");

        Assert.Equal("aviorleans.test.echo.Echo", definition.Name);
        Assert.Equal(10, definition.UnimplementedMethods.Count);
    }

    [Fact]
    public void Create_UnknownServiceName_ThrowsNamingTheOptions()
    {
        var ex = Assert.Throws<ArgumentException>(() => GrpcServiceDefinition.Create(EchoReflection.Descriptor, "Nope"));

        Assert.Contains("it declares: Echo", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddUnary_UndeclaredMethod_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => GrpcServiceDefinition.Create(EchoDescriptor)
            .AddUnary<EchoRequest, EchoReply>("Shout", (r, c) => Task.FromResult(new EchoReply())));

        Assert.Contains("declares no method 'Shout'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddUnary_WrongRequestType_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => GrpcServiceDefinition.Create(EchoDescriptor)
            .AddUnary<CountRequest, EchoReply>("Say", (r, c) => Task.FromResult(new EchoReply())));

        Assert.Contains("takes aviorleans.test.echo.EchoRequest", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddUnary_ForStreamingMethod_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => GrpcServiceDefinition.Create(EchoDescriptor)
            .AddUnary<CountRequest, CountReply>("Count", (r, c) => Task.FromResult(new CountReply())));

        Assert.Contains("is declared ServerStreaming", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddUnary_Twice_Throws()
    {
        var definition = GrpcServiceDefinition.Create(EchoDescriptor).AddUnary<EchoRequest, EchoReply>("Say", (r, c) => Task.FromResult(new EchoReply()));

        Assert.Throws<ArgumentException>(() => definition.AddUnary<EchoRequest, EchoReply>("Say", (r, c) => Task.FromResult(new EchoReply())));
    }

    [Fact]
    public void Bind_ConventionMethods_AddsEachWithItsRole()
    {
        var definition = GrpcServiceDefinition.Bind(EchoDescriptor, new ConventionEcho(), requireAll: false);

        Assert.Equal(["Configure", "Count", "Say", "Sum"], definition.Methods.Select(m => m.Name).Order());
        Assert.Equal(GrpcRole.Admin, definition.Methods.Single(m => m.Name == "Configure").RequiredRole);
        Assert.Equal(GrpcMethodType.ServerStreaming, definition.Methods.Single(m => m.Name == "Count").Type);
        Assert.Equal(GrpcMethodType.ClientStreaming, definition.Methods.Single(m => m.Name == "Sum").Type);
    }

    [Fact]
    public void Bind_MissingMethodsWhenAllRequired_ThrowsNamingThem()
    {
        var ex = Assert.Throws<ArgumentException>(() => GrpcServiceDefinition.Bind(EchoDescriptor, new ConventionEcho()));

        Assert.Contains("Fail", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Chat", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bind_ServedThroughKestrel_CallsReachBoundMethods()
    {
        var implementation = new ConventionEcho();
        await using var server = await EchoServer.StartAsync(define: _ => GrpcServiceDefinition.Bind(EchoDescriptor, implementation, requireAll: false));
        using var channel = server.CreateChannel();

        var reply = await channel.UnaryAsync<EchoRequest, EchoReply>("aviorleans.test.echo.Echo/Say", new EchoRequest { Text = "x" })
            .WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        var values = new List<int>();
        await foreach (var item in channel.ServerStreamingAsync<CountRequest, CountReply>("aviorleans.test.echo.Echo/Count", new CountRequest { Count = 3 }, cancellationToken: TestContext.Current.CancellationToken))
        {
            values.Add(item.Value);
        }

        Assert.Equal("bound x", reply.Text);
        Assert.Equal([10, 20, 30], values);
        Assert.Equal(2, implementation.Calls);
    }
}
