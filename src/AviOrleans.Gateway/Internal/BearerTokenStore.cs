using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AviOrleans.Gateway.Internal;

/// <summary>
/// The tokens the gateway accepts: those of <see cref="BearerTokenOptions.Tokens"/> and of the token file, read again
/// whenever its content changes (a file that does not parse, or holds no token, is refused and the tokens before stay).
/// Only SHA-256 digests are kept, and a presented token is compared with every one of them in constant time.
/// </summary>
internal sealed class BearerTokenStore : IDisposable
{
    private readonly IReadOnlyList<Entry> _fixed;
    private readonly string? _path;
    private readonly ILogger<BearerTokenStore> _logger;
    private readonly Lock _poll = new();
    private readonly ITimer? _timer;
    private byte[] _fileHash = [];
    private volatile Entry[] _entries;

    public BearerTokenStore(IOptionsMonitor<BearerTokenOptions> options, TimeProvider timeProvider, ILogger<BearerTokenStore> logger)
    {
        var o = options.Get(BearerTokenOptions.SchemeName);
        _logger = logger;
        _fixed = [.. o.Tokens.Select(t => new Entry(t.Digest(), t.Name, t.Role))];
        RequiresToken = o.RequiresToken;
        _entries = [.. _fixed];
        if (o.TokenFile is { } file)
        {
            _path = Path.GetFullPath(file);
            var content = File.ReadAllBytes(_path);
            _entries = Load(content);
            _fileHash = SHA256.HashData(content);
            GatewayLog.TokensRead(_logger, _entries.Length - _fixed.Count, _path);

            // The content is compared, not watched: a Kubernetes Secret or ConfigMap is updated by swapping a symlink
            // of its folder, which neither inotify on the file's name nor its modification time reveals.
            _timer = timeProvider.CreateTimer(_ => Poll(), null, o.TokenFilePollInterval, o.TokenFilePollInterval);
        }
    }

    /// <summary>False when no token is configured: every caller is an admin (loopback only).</summary>
    public bool RequiresToken { get; }

    /// <summary>The name and role of <paramref name="token"/>; false when it is none of the configured tokens.</summary>
    public bool TryFind(ReadOnlySpan<char> token, out string name, out GatewayRole role)
    {
        name = string.Empty;
        role = default;
        if (token.IsEmpty)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var utf8 = new byte[Encoding.UTF8.GetByteCount(token)];
        Encoding.UTF8.GetBytes(token, utf8);
        SHA256.HashData(utf8, digest);
        var found = false;

        // Every entry every time, so that the time taken tells nothing about which digest came close.
        foreach (var entry in _entries)
        {
            if (CryptographicOperations.FixedTimeEquals(entry.Digest, digest) && !found)
            {
                found = true;
                name = entry.Name;
                role = entry.Role;
            }
        }

        return found;
    }

    public void Dispose() => _timer?.Dispose();

    private Entry[] Load(byte[] content)
    {
        var lines = Encoding.UTF8.GetString(content).Split('\n');
        var tokens = TokenFile.Parse(lines, _path!);
        if (tokens.Count == 0)
        {
            throw new FormatException($"{_path} holds no token.");
        }

        return [.. _fixed, .. tokens.Select(t => new Entry(t.Digest(), t.Name, t.Role))];
    }

    private void Poll()
    {
        // Timer callbacks may overlap when a read is slow; one at a time, the others skip.
        if (!_poll.TryEnter())
        {
            return;
        }

        try
        {
            var content = File.ReadAllBytes(_path!);
            var hash = SHA256.HashData(content);
            if (hash.AsSpan().SequenceEqual(_fileHash))
            {
                return;
            }

            _fileHash = hash;
            _entries = Load(content);
            GatewayLog.TokensRead(_logger, _entries.Length - _fixed.Count, _path!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            // Mid-write, deleted, or wrong: keep serving with the tokens read before rather than lock everyone out.
            GatewayLog.TokenFileRefused(_logger, _path!, ex);
        }
        finally
        {
            _poll.Exit();
        }
    }

    private sealed record Entry(byte[] Digest, string Name, GatewayRole Role);
}
