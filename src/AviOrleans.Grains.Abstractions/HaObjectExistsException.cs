namespace AviOrleans.Grains;

/// <summary>
/// The name is taken, or an address is already another virtual service's (gRPC ALREADY_EXISTS).
/// </summary>
[GenerateSerializer, Alias("avi.HaObjectExistsException")]
public sealed class HaObjectExistsException : Exception
{
    /// <summary>Creates the exception; <paramref name="field"/> is the path of the clashing field (<c>name</c>, <c>vip[0].ip_address</c>).</summary>
    public HaObjectExistsException(string field, string message)
        : base(message)
    {
        Field = field;
    }

    /// <summary>Creates the exception with a message.</summary>
    public HaObjectExistsException(string message)
        : this("name", message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public HaObjectExistsException()
        : this("name", "The object already exists.")
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public HaObjectExistsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "name";
    }

    /// <summary>The path of the clashing field within the object.</summary>
    [Id(0)]
    public string Field { get; private set; }
}
