using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace AviOrleans.Gateway.Internal;

/// <summary>
/// The tokens the gateway accepts: those of <see cref="BearerTokenOptions.Tokens"/> and of the token file, read again
/// whenever the file changes (a file that does not parse, or holds no token, is refused and the tokens before stay).
/// Only SHA-256 digests are kept, and a presented token is compared with every one of them in constant time.
/// </summary>
internal sealed class BearerTokenStore : IDisposable
{
    private readonly IReadOnlyList<Entry> _fixed;
    private readonly string? _path;
    private readonly ILogger<BearerTokenStore> _logger;
    private readonly PhysicalFileProvider? _files;
    private readonly IDisposable? _watch;
    private volatile Entry[] _entries;

    public BearerTokenStore(IOptionsMonitor<BearerTokenOptions> options, ILogger<BearerTokenStore> logger)
    {
        var o = options.Get(BearerTokenOptions.SchemeName);
        _logger = logger;
        _fixed = [.. o.Tokens.Select(t => new Entry(t.Digest(), t.Name, t.Role))];
        RequiresToken = o.RequiresToken;
        _entries = [.. _fixed];
        if (o.TokenFile is { } file)
        {
            _path = Path.GetFullPath(file);
            _entries = Load();
            GatewayLog.TokensRead(_logger, _entries.Length - _fixed.Count, _path);

            // inotify on the folder: a file replaced by rename (how editors and config tools write) is seen too.
            _files = new PhysicalFileProvider(Path.GetDirectoryName(_path)!);
            var name = Path.GetFileName(_path);
            _watch = ChangeToken.OnChange(() => _files.Watch(name), Reload);
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

    public void Dispose()
    {
        _watch?.Dispose();
        _files?.Dispose();
    }

    private Entry[] Load()
    {
        var tokens = TokenFile.Read(_path!);
        if (tokens.Count == 0)
        {
            throw new FormatException($"{_path} holds no token.");
        }

        return [.. _fixed, .. tokens.Select(t => new Entry(t.Digest(), t.Name, t.Role))];
    }

    private void Reload()
    {
        try
        {
            _entries = Load();
            GatewayLog.TokensRead(_logger, _entries.Length - _fixed.Count, _path!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            // Mid-write, deleted, or wrong: keep serving with the tokens read before rather than lock everyone out.
            GatewayLog.TokenFileRefused(_logger, _path!, ex);
        }
    }

    private sealed record Entry(byte[] Digest, string Name, GatewayRole Role);
}
