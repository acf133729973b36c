using System.Text;
using AviOrleans.Runtime.Membership;

namespace AviOrleans.Runtime.Internal;

/// <summary>
/// A probe's answer: the responder's own silo address (endpoint and generation), so the prober can tell the silo
/// it probed from a newer incarnation now listening at the same endpoint, and whether the responder sees the
/// prober as Dead. Layout: one flag byte (1 = the prober is dead) then the responder's address as UTF-8.
/// </summary>
internal readonly record struct ProbeReply(SiloAddress Responder, bool ProberIsDead)
{
    public static byte[] Encode(SiloAddress responder, bool proberIsDead)
    {
        var text = responder.ToString();
        var bytes = new byte[1 + Encoding.UTF8.GetByteCount(text)];
        bytes[0] = (byte)(proberIsDead ? 1 : 0);
        Encoding.UTF8.GetBytes(text, bytes.AsSpan(1));
        return bytes;
    }

    /// <summary>
    /// True when the probed incarnation itself answered. An answer from another generation at the same endpoint
    /// means the probed one is gone, so the probe counts as a miss (as Orleans).
    /// </summary>
    public bool IsFrom(SiloAddress probed) => Responder == probed;

    /// <summary>Decodes a reply; a malformed one is a <see cref="FormatException"/> (which a prober counts as a miss).</summary>
    public static ProbeReply Decode(byte[] reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.Length < 2 || reply[0] > 1)
        {
            throw new FormatException("Malformed probe reply.");
        }

        return new ProbeReply(SiloAddress.Parse(Encoding.UTF8.GetString(reply, 1, reply.Length - 1)), reply[0] == 1);
    }
}
