namespace AviOrleans.Netlink.Tests;

/// <summary>Waits on the library's <see cref="PacketReceiver"/> for a frame a test is looking for: an in-process
/// capture, so no tcpdump start-up can race the packets.</summary>
internal static class PacketCapture
{
    /// <summary>Receives frames until <paramref name="match"/> accepts one or <paramref name="timeout"/> passes.</summary>
    public static byte[]? WaitFor(this PacketReceiver receiver, Func<byte[], bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var buffer = new byte[2048];
        for (var remaining = timeout; remaining > TimeSpan.Zero; remaining = deadline - DateTime.UtcNow)
        {
            if (receiver.TryReceive(buffer, remaining, out var length))
            {
                var frame = buffer.AsSpan(0, length).ToArray();
                if (match(frame))
                {
                    return frame;
                }
            }
        }

        return null;
    }
}
