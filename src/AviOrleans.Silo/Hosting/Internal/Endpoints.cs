using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace AviOrleans.Silo.Hosting.Internal;

/// <summary>Parses <c>ADDRESS:PORT</c> (<c>[v6]:PORT</c> for IPv6) with a port that is not 0.</summary>
internal static class Endpoints
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPEndPoint? endpoint)
    {
        // IPEndPoint.TryParse also accepts a bare address (port 0), which names no listener.
        if (text is not null && IPEndPoint.TryParse(text, out endpoint) && endpoint.Port != 0)
        {
            return true;
        }

        endpoint = null;
        return false;
    }

    public static IPEndPoint Parse(string text) =>
        TryParse(text, out var endpoint) ? endpoint : throw new FormatException($"\"{text}\" is not ADDRESS:PORT.");
}
