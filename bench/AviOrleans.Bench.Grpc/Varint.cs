namespace AviOrleans.Bench.Grpc;

/// <summary>Protobuf base-128 varints, for the plain floor's delimited stream.</summary>
internal static class Varint
{
    public static int Write(Span<byte> destination, uint value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Reads a varint from the front of <paramref name="buffer"/>; false when incomplete.</summary>
    public static bool TryRead(ReadOnlySpan<byte> buffer, out uint value, out int length)
    {
        value = 0;
        for (length = 0; length < buffer.Length && length < 5; length++)
        {
            value |= (uint)(buffer[length] & 0x7F) << (7 * length);
            if ((buffer[length] & 0x80) == 0)
            {
                length++;
                return true;
            }
        }

        return false;
    }
}
