namespace AviOrleans.Testing.Lan;

/// <summary>The harness could not build, change or tear down the LAN: a command failed, a tool or a privilege is
/// missing, a process did not start. The message names the command or the cause.</summary>
public sealed class LanException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LanException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public LanException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LanException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
