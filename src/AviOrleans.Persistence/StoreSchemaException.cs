namespace AviOrleans.Persistence;

/// <summary>
/// The database does not hold the schema this build needs: it was never migrated (a client or a
/// <c>MigrateOnStart = false</c> silo found no schema), it holds tables another program created under the names
/// Orleans reads (for example Orleans' own scripts' <c>OrleansQuery</c>), or it was migrated by a newer build.
/// </summary>
public sealed class StoreSchemaException : StoreException
{
    /// <summary>Creates the exception with a message.</summary>
    public StoreSchemaException(string message)
        : base(message, null)
    {
    }

    /// <summary>Creates the exception with a message and the driver's exception.</summary>
    public StoreSchemaException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
