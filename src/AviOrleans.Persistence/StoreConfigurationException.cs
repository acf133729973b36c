namespace AviOrleans.Persistence;

/// <summary>
/// The store answers but refuses the configuration it was given: a wrong password or user, a database that does
/// not exist, a role without the rights it needs, a data folder or database file that is read-only or not a
/// folder. Retrying does not help until the configuration or the store is fixed.
/// </summary>
public sealed class StoreConfigurationException : StoreException
{
    /// <summary>Creates the exception with a message.</summary>
    public StoreConfigurationException(string message)
        : base(message, null)
    {
    }

    /// <summary>Creates the exception with a message and the driver's exception.</summary>
    public StoreConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
