using System.Collections.Concurrent;

namespace AviOrleans.Runtime.Serialization;

/// <summary>
/// Exception types of the application that a caller should receive as themselves when a grain on another silo
/// throws them (only the message crosses). Unregistered types arrive as <see cref="GrainException"/>.
/// </summary>
public static class RemoteExceptionTypes
{
    private static readonly ConcurrentDictionary<string, Func<string, Exception>> Factories = new(StringComparer.Ordinal);

    /// <summary>Registers <typeparamref name="TException"/>, rebuilt from its message by <paramref name="create"/>.</summary>
    public static void Register<TException>(Func<string, TException> create)
        where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(create);
        Factories[typeof(TException).FullName!] = create;
    }

    internal static Exception? TryCreate(string typeName, string message) =>
        Factories.TryGetValue(typeName, out var create) ? create(message) : null;
}
