using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AviOrleans.Gateway.Internal;

/// <summary>
/// Makes and checks List page tokens. A token names the last key of the page it follows, the list
/// it belongs to and the filter it was made for, signed with HMAC-SHA256 under a key this gateway
/// process draws at start: a client can neither forge a position nor reuse a token on another list
/// or filter, and a token from an earlier process is refused rather than silently misread.
/// </summary>
internal sealed class PageTokenCodec
{
    // Wire form (then base64url): version(1) | len(2) list | len(2) filter | len(2) lastKey | mac(16).
    private const byte Version = 1;
    private const int MacLength = 16;
    private readonly byte[] _key;

    /// <summary>Creates a codec with a fresh random key.</summary>
    public PageTokenCodec()
        : this(RandomNumberGenerator.GetBytes(32))
    {
    }

    /// <summary>Creates a codec with <paramref name="key"/> (tests; several gateways sharing a key).</summary>
    public PageTokenCodec(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(key.Length, 16);
        _key = key;
    }

    /// <summary>The token for the page after <paramref name="lastKey"/>.</summary>
    public string Encode(string list, string filter, string lastKey)
    {
        var body = new List<byte> { Version };
        Append(body, list);
        Append(body, filter);
        Append(body, lastKey);
        var bytes = body.ToArray();
        var mac = HMACSHA256.HashData(_key, bytes).AsSpan(0, MacLength);
        return Base64Url(bytes, mac);
    }

    /// <summary>
    /// The last key of the previous page, or null for an empty token (the first page); throws
    /// <see cref="InvalidRequestException"/> for a token that is malformed, altered, or made for
    /// another list or filter.
    /// </summary>
    public string? Decode(string token, string list, string filter)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var raw = FromBase64Url(token);
        if (raw is null || raw.Length < 1 + 6 + MacLength || raw[0] != Version)
        {
            throw Invalid("is not a page token of this API");
        }

        ReadOnlySpan<byte> body = raw.AsSpan(0, raw.Length - MacLength);
        var expected = HMACSHA256.HashData(_key, body).AsSpan(0, MacLength);
        if (!CryptographicOperations.FixedTimeEquals(expected, raw.AsSpan(raw.Length - MacLength)))
        {
            throw Invalid("was altered or comes from an earlier gateway process; start again from the first page");
        }

        var rest = body[1..];
        var tokenList = Read(ref rest);
        var tokenFilter = Read(ref rest);
        var lastKey = Read(ref rest);
        if (tokenList is null || tokenFilter is null || lastKey is null || !rest.IsEmpty)
        {
            throw Invalid("is not a page token of this API");
        }

        if (!string.Equals(tokenList, list, StringComparison.Ordinal) || !string.Equals(tokenFilter, filter, StringComparison.Ordinal))
        {
            throw Invalid("was made for another list or filter; repeat the request that returned it");
        }

        return lastKey;
    }

    private static InvalidRequestException Invalid(string why) => new("page_token", "The page token " + why + ".");

    private static void Append(List<byte> body, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Too long for a page token.");
        }

        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)bytes.Length);
        body.AddRange(length.ToArray());
        body.AddRange(bytes);
    }

    private static string? Read(ref ReadOnlySpan<byte> rest)
    {
        if (rest.Length < 2)
        {
            return null;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(rest);
        if (rest.Length < 2 + length)
        {
            return null;
        }

        var value = Encoding.UTF8.GetString(rest.Slice(2, length));
        rest = rest[(2 + length)..];
        return value;
    }

    private static string Base64Url(byte[] body, ReadOnlySpan<byte> mac)
    {
        var all = new byte[body.Length + mac.Length];
        body.CopyTo(all, 0);
        mac.CopyTo(all.AsSpan(body.Length));
        return Convert.ToBase64String(all).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static byte[]? FromBase64Url(string token)
    {
        var s = token.Replace('-', '+').Replace('_', '/');
        s = (s.Length % 4) switch { 2 => s + "==", 3 => s + "=", 0 => s, _ => null };
        if (s is null)
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(s);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
