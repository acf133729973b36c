using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace AviOrleans.Runtime.Internal;

/// <summary>
/// A growable buffer that frames are written into before they go to the socket in one write. Unlike a pipe it
/// lets the writer patch a frame's length prefix once the frame is complete.
/// </summary>
internal sealed class FrameBuffer : IBufferWriter<byte>
{
    private const int InitialSize = 16 * 1024;
    private byte[] _buffer = new byte[InitialSize];
    private int _length;

    public int Length => _length;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_length);
    }

    /// <summary>Reserves the 4-byte length prefix and returns the frame's start.</summary>
    public int BeginFrame()
    {
        Ensure(4);
        var start = _length;
        _length += 4;
        return start;
    }

    /// <summary>Writes the length prefix of the frame that began at <paramref name="start"/>; returns the payload length.</summary>
    public int EndFrame(int start)
    {
        var payload = _length - start - 4;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start), payload);
        return payload;
    }

    /// <summary>Drops everything written after <paramref name="position"/> (a frame that failed half-way).</summary>
    public void Rewind(int position) => _length = position;

    public void Reset()
    {
        _length = 0;

        // One huge message must not pin a huge buffer for the connection's life.
        if (_buffer.Length > 1024 * 1024)
        {
            _buffer = new byte[InitialSize];
        }
    }

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    public void WriteInt32(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteInt64(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Writes a string as a 4-byte byte count and its UTF-8 bytes.</summary>
    public void WriteString(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        WriteInt32(count);
        Ensure(count);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    private void Ensure(int sizeHint)
    {
        var needed = _length + Math.Max(sizeHint, 256);
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }
    }
}
