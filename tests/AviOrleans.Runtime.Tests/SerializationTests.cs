using System.Buffers;
using System.Text.Json;
using AviOrleans.Runtime.Internal;
using AviOrleans.Runtime.Serialization;
using AviOrleans.Runtime.Storage;
using AviOrleans.Runtime.Tests.Grains;

namespace AviOrleans.Runtime.Tests;

public sealed class SerializationTests
{
    [Theory]
    [InlineData(typeof(InvalidOperationException))]
    [InlineData(typeof(ArgumentException))]
    [InlineData(typeof(InconsistentStateException))]
    [InlineData(typeof(SiloUnavailableException))]
    [InlineData(typeof(GrainCallTimeoutException))]
    public void ExceptionCodec_KnownType_ArrivesAsItselfWithMessage(Type type)
    {
        var original = (Exception)Activator.CreateInstance(type, "the message")!;

        var copy = RoundTrip(original);

        Assert.IsType(type, copy);
        Assert.Equal("the message", copy.Message);
    }

    [Fact]
    public void ExceptionCodec_UnknownType_ArrivesAsGrainExceptionNamingIt()
    {
        var copy = Assert.IsType<GrainException>(RoundTrip(new CustomGrainException("boom")));

        Assert.Equal(typeof(CustomGrainException).FullName, copy.OriginalTypeName);
        Assert.Equal("boom", copy.Message);
        Assert.Equal(typeof(CustomGrainException).FullName, Assert.IsType<GrainException>(RoundTrip(copy)).OriginalTypeName);
    }

    [Fact]
    public void ExceptionCodec_RegisteredType_ArrivesAsItself()
    {
        RemoteExceptionTypes.Register(message => new RegisteredGrainException(message));

        var copy = RoundTrip(new RegisteredGrainException("registered"));

        Assert.IsType<RegisteredGrainException>(copy);
        Assert.Equal("registered", copy.Message);
    }

    [Fact]
    public void GrainSerializer_TypeWithoutContract_ClearError()
    {
        var serializer = new GrainSerializer([]);

        var error = Assert.Throws<InvalidOperationException>(() => serializer.SerializeToBytes(new CounterState()));

        Assert.Contains("JsonSerializable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GrainSerializer_WithContext_RoundTripsState()
    {
        var serializer = new GrainSerializer([TestJsonContext.Default]);

        var bytes = serializer.SerializeToBytes(new CounterState { Value = 12 });

        Assert.Equal(12, serializer.Deserialize<CounterState>(bytes).Value);
    }

    [Fact]
    public void GrainId_ParseToString_RoundTripsAndHashIsStable()
    {
        var id = GrainId.Parse("counter/a/b");

        Assert.Equal("counter", id.Type);
        Assert.Equal("a/b", id.Key);
        Assert.Equal("counter/a/b", id.ToString());
        Assert.Equal(new GrainId("counter", "a/b").GetUniformHashCode(), id.GetUniformHashCode());
        Assert.Throws<FormatException>(() => GrainId.Parse("no-slash"));
        Assert.Throws<ArgumentException>(() => new GrainId("a/b", "k"));
    }

    private static Exception RoundTrip(Exception exception)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ExceptionCodec.Write(writer, exception);
        }

        return ExceptionCodec.Read(new ReadOnlySequence<byte>(buffer.WrittenMemory));
    }
}
