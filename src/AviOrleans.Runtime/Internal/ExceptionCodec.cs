using System.Buffers;
using System.Text.Json;
using AviOrleans.Runtime.Serialization;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.Internal;

/// <summary>
/// Carries an exception across processes as its type name and message, and rebuilds it on the caller's side:
/// well-known and registered types as themselves, anything else as <see cref="GrainException"/>.
/// </summary>
internal static class ExceptionCodec
{
    public static void Write(Utf8JsonWriter writer, Exception exception)
    {
        writer.WriteStartObject();
        writer.WriteString("t", exception is GrainException { OriginalTypeName: { } original } ? original : exception.GetType().FullName);
        writer.WriteString("m", exception.Message);
        writer.WriteEndObject();
    }

    public static Exception Read(ReadOnlySequence<byte> body)
    {
        string? type = null;
        string? message = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isType = reader.ValueTextEquals("t");
                    reader.Read();
                    if (isType)
                    {
                        type = reader.GetString();
                    }
                    else
                    {
                        message = reader.GetString();
                    }
                }
            }
        }
        catch (JsonException ex)
        {
            return new GrainException("The remote exception could not be read.", ex);
        }

        return Create(type ?? typeof(Exception).FullName!, message ?? string.Empty);
    }

    public static Exception Create(string type, string message) => type switch
    {
        "System.ArgumentException" => new ArgumentException(message),
        "System.ArgumentNullException" => new ArgumentNullException(null, message),
        "System.ArgumentOutOfRangeException" => new ArgumentOutOfRangeException(null, message),
        "System.InvalidOperationException" => new InvalidOperationException(message),
        "System.NotSupportedException" => new NotSupportedException(message),
        "System.FormatException" => new FormatException(message),
        "System.TimeoutException" => new TimeoutException(message),
        "System.OperationCanceledException" or "System.Threading.Tasks.TaskCanceledException" => new OperationCanceledException(message),
        "System.Collections.Generic.KeyNotFoundException" => new KeyNotFoundException(message),
        "System.UnauthorizedAccessException" => new UnauthorizedAccessException(message),
        "AviOrleans.Runtime.Storage.InconsistentStateException" => new InconsistentStateException(message),
        "AviOrleans.Runtime.Storage.StoreUnavailableException" => new StoreUnavailableException(message),
        "AviOrleans.Runtime.SiloUnavailableException" => new SiloUnavailableException(message),
        "AviOrleans.Runtime.GrainCallTimeoutException" => new GrainCallTimeoutException(message),
        "AviOrleans.Runtime.ClusterAuthenticationException" => new ClusterAuthenticationException(message),
        _ => RemoteExceptionTypes.TryCreate(type, message) ?? new GrainException(type, message),
    };
}
