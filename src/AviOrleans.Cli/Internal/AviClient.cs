using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using AviOrleans.Grpc;
using Google.Protobuf;

namespace AviOrleans.Cli.Internal;

/// <summary>avi.v1 calls over the gRPC transport's client, with avictl's deadline and token.</summary>
internal sealed class AviClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly X509Certificate2? _ca;
    private readonly TimeSpan _timeout;
    private readonly CancellationToken _cancellationToken;

    public AviClient(ClientSettings settings, CancellationToken cancellationToken)
    {
        _timeout = settings.Timeout;
        _cancellationToken = cancellationToken;
        if (settings.CaFile is { } ca)
        {
            try
            {
                _ca = X509CertificateLoader.LoadCertificateFromFile(ca);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new UsageException($"--ca: cannot read a certificate from \"{ca}\": {ex.Message}");
            }
        }

        _channel = GrpcChannel.ForAddress(settings.Gateway, new GrpcChannelOptions { BearerToken = settings.Token, TrustedServerCertificate = _ca });
    }

    public Uri Address => _channel.Address;

    /// <summary>Calls <c>avi.v1.</c><paramref name="method"/> with the call deadline.</summary>
    public Task<TResponse> CallAsync<TRequest, TResponse>(string method, TRequest request)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        _channel.UnaryAsync<TRequest, TResponse>("avi.v1." + method, request, new CallOptions(Deadline: DateTime.UtcNow + _timeout, CancellationToken: _cancellationToken));

    /// <summary>A server stream, with no deadline (watch runs until stopped).</summary>
    public async IAsyncEnumerable<TResponse> StreamAsync<TRequest, TResponse>(string method, TRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken, cancellationToken);
        await foreach (var item in _channel.ServerStreamingAsync<TRequest, TResponse>("avi.v1." + method, request, default, linked.Token))
        {
            yield return item;
        }
    }

    public void Dispose()
    {
        _channel.Dispose();
        _ca?.Dispose();
    }
}
