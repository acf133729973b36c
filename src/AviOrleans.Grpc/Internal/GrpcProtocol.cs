using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace AviOrleans.Grpc.Internal;

/// <summary>Constants and small codecs of the gRPC over HTTP/2 protocol (grpc/grpc doc/PROTOCOL-HTTP2.md).</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string IdentityEncoding = "identity";
    public const string GzipEncoding = "gzip";
    public const string DeflateEncoding = "deflate";

    /// <summary>What this implementation can decode and encode, sent as <c>grpc-accept-encoding</c>.</summary>
    public const string SupportedEncodings = "identity,gzip,deflate";

    /// <summary>1-byte compressed flag + 4-byte big-endian length.</summary>
    public const int HeaderSize = 5;

    /// <summary>RST_STREAM error code CANCEL (RFC 9113 section 7), sent after a deadline.</summary>
    public const int Http2CancelErrorCode = 0x8;

    /// <summary>grpc-dotnet caps deadlines at 99,999,999 seconds; so do we.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(99_999_999);

    private static readonly string[] StatusTexts = Enumerable.Range(0, 17).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The decimal text of a status code for <c>grpc-status</c>, without allocating for the standard ones.</summary>
    public static string StatusText(StatusCode code) =>
        (uint)code < (uint)StatusTexts.Length ? StatusTexts[(int)code] : ((int)code).ToString(CultureInfo.InvariantCulture);

    /// <summary>True for <c>application/grpc</c> and <c>application/grpc+proto</c> (with any parameters).</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = contentType.AsSpan(ContentType.Length);
        if (rest.StartsWith("+proto", StringComparison.OrdinalIgnoreCase))
        {
            rest = rest["+proto".Length..];
        }

        return rest.IsEmpty || rest[0] is ';';
    }

    public static bool IsSupportedEncoding(string encoding) =>
        encoding is IdentityEncoding or GzipEncoding or DeflateEncoding;

    /// <summary>Whether a <c>grpc-accept-encoding</c> list (comma-separated) names <paramref name="encoding"/>.</summary>
    public static bool AcceptsEncoding(string? acceptEncoding, string encoding)
    {
        if (string.IsNullOrEmpty(acceptEncoding))
        {
            return false;
        }

        foreach (var range in acceptEncoding.AsSpan().Split(','))
        {
            if (acceptEncoding.AsSpan(range).Trim().Equals(encoding, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Parses <c>grpc-timeout</c>: 1 to 8 digits and a unit H, M, S, m, u or n. False when malformed.
    /// </summary>
    public static bool TryParseTimeout(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (string.IsNullOrEmpty(value) || value.Length < 2 || value.Length > 9)
        {
            return false;
        }

        var digits = value.AsSpan(0, value.Length - 1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        double seconds = value[^1] switch
        {
            'H' => amount * 3600.0,
            'M' => amount * 60.0,
            'S' => amount,
            'm' => amount / 1e3,
            'u' => amount / 1e6,
            'n' => amount / 1e9,
            _ => double.NaN,
        };
        if (double.IsNaN(seconds))
        {
            return false;
        }

        timeout = seconds >= MaxTimeout.TotalSeconds ? MaxTimeout : TimeSpan.FromTicks((long)Math.Ceiling(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    /// <summary>
    /// Encodes a timeout as whole milliseconds rounded up (as grpc-js does), switching to coarser
    /// units when the number would need more than 8 digits.
    /// </summary>
    public static string FormatTimeout(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return "1n";
        }

        var ms = (long)Math.Ceiling(timeout.TotalMilliseconds);
        if (ms < 100_000_000)
        {
            return ms.ToString(CultureInfo.InvariantCulture) + "m";
        }

        var s = (long)Math.Ceiling(timeout.TotalSeconds);
        if (s < 100_000_000)
        {
            return s.ToString(CultureInfo.InvariantCulture) + "S";
        }

        var m = (long)Math.Ceiling(timeout.TotalMinutes);
        if (m < 100_000_000)
        {
            return m.ToString(CultureInfo.InvariantCulture) + "M";
        }

        return Math.Min((long)Math.Ceiling(timeout.TotalHours), 99_999_999).ToString(CultureInfo.InvariantCulture) + "H";
    }

    /// <summary>
    /// Percent-encodes <c>grpc-message</c>: UTF-8, then every byte outside 0x20-0x7E and '%' itself
    /// as %XX; all other ASCII stays literal (grpc-js decodes with decodeURI).
    /// </summary>
    public static string EncodeMessage(string message)
    {
        var needs = false;
        foreach (var c in message)
        {
            if (c is < ' ' or > '~' or '%')
            {
                needs = true;
                break;
            }
        }

        if (!needs)
        {
            return message;
        }

        var bytes = Encoding.UTF8.GetBytes(message);
        var builder = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7E or (byte)'%')
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append((char)b);
            }
        }

        return builder.ToString();
    }

    /// <summary>Decodes a percent-encoded <c>grpc-message</c>; never fails: a bad escape stays literal.</summary>
    public static string DecodeMessage(string? value)
    {
        if (string.IsNullOrEmpty(value) || !value.Contains('%', StringComparison.Ordinal))
        {
            return value ?? string.Empty;
        }

        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length
                && byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var decoded))
            {
                bytes.Add(decoded);
                i += 2;
            }
            else
            {
                foreach (var b in Encoding.UTF8.GetBytes(value[i].ToString()))
                {
                    bytes.Add(b);
                }
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Decodes a <c>-bin</c> header value: base64, padded or not, possibly several joined by ','.</summary>
    public static byte[] DecodeBinaryHeader(string value)
    {
        var firstComma = value.IndexOf(',', StringComparison.Ordinal);
        if (firstComma >= 0)
        {
            // Several values folded into one header by an intermediary: metadata holds one value
            // per entry here, so the first one is kept.
            value = value[..firstComma];
        }

        value = value.Trim();
        var padding = (4 - (value.Length % 4)) % 4;
        if (padding == 3)
        {
            throw new FormatException("Invalid base64 length.");
        }

        return Convert.FromBase64String(padding == 0 ? value : value + new string('=', padding));
    }

    /// <summary>Unpadded base64, as the spec asks senders to emit.</summary>
    public static string EncodeBinaryHeader(byte[] value) => Convert.ToBase64String(value).TrimEnd('=');

    /// <summary>
    /// Takes one length-prefixed message off the front of <paramref name="buffer"/>. False when
    /// more bytes are needed; throws <see cref="RpcException"/> on a violation.
    /// </summary>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int? maxMessageSize, out bool compressed, out ReadOnlySequence<byte> payload)
    {
        compressed = false;
        payload = default;
        if (buffer.Length < HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        var length = ReadHeader(header, maxMessageSize, out compressed);
        if (buffer.Length - HeaderSize < length)
        {
            return false;
        }

        payload = buffer.Slice(HeaderSize, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    /// <summary>
    /// Reads a message header: returns the length, throws <see cref="RpcException"/> for a flag
    /// other than 0 or 1 (INTERNAL) or a length over <paramref name="maxMessageSize"/> (RESOURCE_EXHAUSTED).
    /// </summary>
    public static uint ReadHeader(ReadOnlySpan<byte> header, int? maxMessageSize, out bool compressed)
    {
        compressed = header[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new RpcException(StatusCode.Internal, $"Unexpected compressed flag value {header[0]} in the message header."),
        };
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (maxMessageSize is { } max && length > (uint)max)
        {
            throw new RpcException(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size.");
        }

        return length;
    }

    public static void WriteHeader(Span<byte> destination, bool compressed, int length)
    {
        destination[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)length);
    }
}
