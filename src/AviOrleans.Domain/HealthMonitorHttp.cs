namespace AviOrleans.Domain;

/// <summary>Avi's <c>HealthMonitorHttp</c> (<c>http_monitor</c>), the fields AviOrleans uses.</summary>
public sealed record HealthMonitorHttp
{
    /// <summary>Avi's default <see cref="HttpRequest"/>.</summary>
    public const string DefaultHttpRequest = "GET / HTTP/1.0";

    /// <summary>
    /// <c>http_request</c>: the request line sent to the server (<c>METHOD target HTTP/1.x</c>); a <c>Host</c> header and
    /// <c>Connection: close</c> are added, as Avi does unless <c>exact_http_request</c>. Default: <c>GET / HTTP/1.0</c>.
    /// </summary>
    public string HttpRequest { get; init; } = DefaultHttpRequest;

    /// <summary><c>http_response_code</c>: status classes that pass. Default (empty): <see cref="HttpResponseCode.Http2xx"/>.</summary>
    public EquatableArray<HttpResponseCode> HttpResponseCode { get; init; }

    /// <summary>True when <paramref name="status"/> passes (<see cref="HttpResponseCode"/>, or 2xx when it is empty).</summary>
    public bool Accepts(int status)
    {
        if (HttpResponseCode.IsEmpty)
        {
            return status is >= 200 and < 300;
        }

        foreach (var code in HttpResponseCode)
        {
            if (code == Domain.HttpResponseCode.HttpAny || (int)code == status / 100)
            {
                return true;
            }
        }

        return false;
    }
}
