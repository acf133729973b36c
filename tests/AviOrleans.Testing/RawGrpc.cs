using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Grpc.Core;
using Google.Protobuf;

namespace AviOrleans.Testing;

/// <summary>Hand-made gRPC requests over HttpClient, for input the real client would never send.</summary>
public static class RawGrpc
{
    public static HttpClient CreateHttpClient(X509Certificate2? trusted = null)
    {
        var handler = new SocketsHttpHandler();
        if (trusted is not null)
        {
            // Pinned: exactly the test's self-signed certificate.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHashString() == trusted.GetCertHashString();
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public static byte[] Frame(IMessage message) => Frame(message.ToByteArray());

    public static byte[] Frame(byte[] payload, byte flag = 0, uint? declaredLength = null)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declaredLength ?? (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    public static async Task<RawGrpcResult> SendAsync(
        HttpClient http,
        Uri address,
        string path,
        byte[] body,
        string? contentType = "application/grpc",
        IEnumerable<(string Name, string Value)>? headers = null,
        Version? version = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = version ?? HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        request.Headers.TE.ParseAdd("trailers");
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var trailersOnly = response.Headers.Contains("grpc-status");
        var statusSource = trailersOnly ? (HttpHeaders)response.Headers : response.TrailingHeaders;
        StatusCode? status = statusSource.TryGetValues("grpc-status", out var values)
            ? (StatusCode)int.Parse(values.First(), CultureInfo.InvariantCulture)
            : null;
        var message = statusSource.TryGetValues("grpc-message", out var messages) ? messages.First() : null;
        var frames = new List<byte[]>();
        if (response.Content.Headers.ContentType?.MediaType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            var offset = 0;
            while (offset + 5 <= bytes.Length)
            {
                var length = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset + 1));
                frames.Add(bytes.AsSpan(offset + 5, length).ToArray());
                offset += 5 + length;
            }
        }

        return new RawGrpcResult(response.StatusCode, response.Version, status, message, frames, response.Headers, trailersOnly);
    }

    /// <summary>
    /// Writes <paramref name="garbage"/> (Latin-1) on a fresh TCP connection to <paramref name="address"/>'s port and
    /// reads until the server closes the connection, which it must do within <paramref name="bound"/> after at most
    /// a GOAWAY; returns how many bytes came back.
    /// </summary>
    public static async Task<int> SendGarbageUntilClosedAsync(Uri address, string garbage, TimeSpan bound)
    {
        var ct = TestContext.Current.CancellationToken;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, address.Port, ct);
        await socket.SendAsync(Encoding.Latin1.GetBytes(garbage), SocketFlags.None, ct);

        var buffer = new byte[4096];
        var total = 0;
        int read;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(bound);
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            total += read;
            Assert.True(total < 1_000_000, "the server kept sending");
        }

        return total;
    }
}
