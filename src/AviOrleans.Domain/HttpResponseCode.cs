namespace AviOrleans.Domain;

/// <summary>Avi's <c>HealthMonitorHttp.http_response_code</c> values: the status classes that count as a pass.</summary>
public enum HttpResponseCode
{
    /// <summary><c>HTTP_ANY</c>: any status.</summary>
    HttpAny = 0,

    /// <summary><c>HTTP_1XX</c>.</summary>
    Http1xx = 1,

    /// <summary><c>HTTP_2XX</c> (Avi's default).</summary>
    Http2xx = 2,

    /// <summary><c>HTTP_3XX</c>.</summary>
    Http3xx = 3,

    /// <summary><c>HTTP_4XX</c>.</summary>
    Http4xx = 4,

    /// <summary><c>HTTP_5XX</c>.</summary>
    Http5xx = 5,
}
