namespace AviOrleans.Gateway.Internal;

/// <summary>Checks of request fields the handlers need before they call the control plane.</summary>
internal static class Requests
{
    /// <summary><paramref name="value"/>, or an INVALID_ARGUMENT on <paramref name="field"/> when it is empty.</summary>
    public static string Required(string value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidRequestException(field, "A value is required.") : value;

    /// <summary><paramref name="message"/>, or an INVALID_ARGUMENT on <paramref name="field"/> when it is absent.</summary>
    public static T Required<T>(T? message, string field)
        where T : class =>
        message ?? throw new InvalidRequestException(field, "A value is required.");

    /// <summary>Null for an empty string (an optional reference left out).</summary>
    public static string? Optional(string value) => string.IsNullOrEmpty(value) ? null : value;
}
