namespace AviOrleans.Grains;

/// <summary>No object of that kind has that name (gRPC NOT_FOUND).</summary>
[GenerateSerializer, Alias("avi.HaObjectNotFoundException")]
public sealed class HaObjectNotFoundException : Exception
{
    /// <summary>Creates the exception for the <paramref name="kind"/> (Avi's object name, e.g. <c>virtualservice</c>) named <paramref name="name"/>.</summary>
    public HaObjectNotFoundException(string kind, string name)
        : base($"{kind} \"{name}\" does not exist.")
    {
        Kind = kind;
        Name = name;
    }

    /// <summary>Creates the exception with a message.</summary>
    public HaObjectNotFoundException(string message)
        : base(message)
    {
        Kind = string.Empty;
        Name = string.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    public HaObjectNotFoundException()
        : this("The object does not exist.")
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public HaObjectNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = string.Empty;
        Name = string.Empty;
    }

    /// <summary>Avi's object name of the kind looked for (<c>serviceenginegroup</c>, ...).</summary>
    [Id(0)]
    public string Kind { get; private set; }

    /// <summary>The name looked for.</summary>
    [Id(1)]
    public string Name { get; private set; }
}
