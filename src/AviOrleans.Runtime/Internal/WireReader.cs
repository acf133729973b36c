using System.Buffers;
using System.Text;

namespace AviOrleans.Runtime.Internal;

/// <summary>Reads the binary header fields of a frame (little-endian integers, length-prefixed UTF-8 strings).</summary>
internal ref struct WireReader(ReadOnlySequence<byte> payload)
{
    private SequenceReader<byte> _reader = new(payload);

    public readonly ReadOnlySequence<byte> Remaining => _reader.UnreadSequence;

    public byte ReadByte() => _reader.TryRead(out var value) ? value : throw Malformed();

    public int ReadInt32() => _reader.TryReadLittleEndian(out int value) ? value : throw Malformed();

    public long ReadInt64() => _reader.TryReadLittleEndian(out long value) ? value : throw Malformed();

    public string ReadString()
    {
        var length = ReadInt32();
        if (length < 0 || length > _reader.Remaining)
        {
            throw Malformed();
        }

        var slice = _reader.UnreadSequence.Slice(0, length);
        _reader.Advance(length);
        return Encoding.UTF8.GetString(slice);
    }

    public byte[] ReadBytes(int count)
    {
        if (count < 0 || count > _reader.Remaining)
        {
            throw Malformed();
        }

        var bytes = new byte[count];
        _reader.TryCopyTo(bytes);
        _reader.Advance(count);
        return bytes;
    }

    private static InvalidDataException Malformed() => new("Malformed frame: a header field runs past the end of the frame.");
}
