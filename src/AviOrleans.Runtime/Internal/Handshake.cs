using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;

namespace AviOrleans.Runtime.Internal;

/// <summary>
/// Mutual cluster-key authentication at connection setup: each side sends a fresh nonce and proves it holds
/// the key with an HMAC-SHA256 over both nonces and its identity (layout in <see cref="FrameKind"/>). A peer
/// without the key can neither join (silos refuse its connections) nor invoke grains, and a silo never talks
/// to an impostor at a known address. The key itself never crosses the wire.
/// </summary>
internal static class Handshake
{
    private const byte ProtocolVersion = 1;
    private const int NonceSize = 32;
    private const int MaxHandshakeFrame = 4096;

    /// <summary>Runs the connecting side; returns the acceptor's silo identity.</summary>
    public static async Task<string> ConnectAsync(Stream stream, PipeReader reader, HandshakeSettings settings, string expectedPeer, CancellationToken cancellationToken)
    {
        var nonceC = RandomNumberGenerator.GetBytes(NonceSize);
        var hello = new FrameBuffer();
        var start = hello.BeginFrame();
        hello.WriteByte(FrameKind.Hello);
        hello.WriteByte(ProtocolVersion);
        hello.WriteByte((byte)settings.LocalRole);
        hello.WriteString(settings.ClusterId);
        hello.WriteString(settings.LocalSilo);
        hello.WriteString(expectedPeer);
        hello.WriteBytes(nonceC);
        hello.EndFrame(start);
        await stream.WriteAsync(hello.WrittenMemory, cancellationToken).ConfigureAwait(false);

        var challenge = await ReadFrameAsync(reader, cancellationToken).ConfigureAwait(false);
        var (acceptorSilo, nonceS, macS) = ParseChallenge(challenge);
        var expectedMacS = Mac(settings.ClusterKey, "AVI-S", nonceC, nonceS, acceptorSilo);
        if (!CryptographicOperations.FixedTimeEquals(macS, expectedMacS))
        {
            throw new ClusterAuthenticationException("The peer did not prove it holds the cluster key.");
        }

        if (expectedPeer.Length != 0 && acceptorSilo != expectedPeer)
        {
            throw new SiloUnavailableException($"Silo {expectedPeer} is gone: {acceptorSilo} answers at its address.");
        }

        var proof = new FrameBuffer();
        start = proof.BeginFrame();
        proof.WriteByte(FrameKind.Proof);
        proof.WriteBytes(Mac(settings.ClusterKey, "AVI-C", nonceS, nonceC, RoleAndIdentity(settings.LocalRole, settings.LocalSilo, settings.ClusterId)));
        proof.EndFrame(start);
        await stream.WriteAsync(proof.WrittenMemory, cancellationToken).ConfigureAwait(false);

        var accepted = await ReadFrameAsync(reader, cancellationToken).ConfigureAwait(false);
        if (accepted.Length != 1 || accepted[0] != FrameKind.Accepted)
        {
            throw new ClusterAuthenticationException("The silo refused the connection.");
        }

        return acceptorSilo;
    }

    /// <summary>Runs the accepting side; returns the connector's role and silo identity ("" for a client).</summary>
    public static async Task<(PeerRole Role, string Silo, string ExpectedSilo)> AcceptAsync(Stream stream, PipeReader reader, HandshakeSettings settings, CancellationToken cancellationToken)
    {
        var hello = await ReadFrameAsync(reader, cancellationToken).ConfigureAwait(false);
        var (role, clusterId, connectorSilo, expectedSilo, nonceC) = ParseHello(hello);
        if (clusterId != settings.ClusterId)
        {
            throw new ClusterAuthenticationException($"A peer of cluster '{clusterId}' tried to connect to cluster '{settings.ClusterId}'.");
        }

        var nonceS = RandomNumberGenerator.GetBytes(NonceSize);
        var challenge = new FrameBuffer();
        var start = challenge.BeginFrame();
        challenge.WriteByte(FrameKind.Challenge);
        challenge.WriteString(settings.LocalSilo);
        challenge.WriteBytes(nonceS);
        challenge.WriteBytes(Mac(settings.ClusterKey, "AVI-S", nonceC, nonceS, settings.LocalSilo));
        challenge.EndFrame(start);
        await stream.WriteAsync(challenge.WrittenMemory, cancellationToken).ConfigureAwait(false);

        var proof = await ReadFrameAsync(reader, cancellationToken).ConfigureAwait(false);
        if (proof.Length != 1 + 32 || proof[0] != FrameKind.Proof)
        {
            throw new ClusterAuthenticationException("Malformed handshake proof.");
        }

        var expectedMacC = Mac(settings.ClusterKey, "AVI-C", nonceS, nonceC, RoleAndIdentity(role, connectorSilo, clusterId));
        if (!CryptographicOperations.FixedTimeEquals(proof.AsSpan(1), expectedMacC))
        {
            throw new ClusterAuthenticationException("A peer failed the cluster-key handshake.");
        }

        await stream.WriteAsync(new byte[] { 1, 0, 0, 0, FrameKind.Accepted }, cancellationToken).ConfigureAwait(false);
        return (role, connectorSilo, expectedSilo);
    }

    private static string RoleAndIdentity(PeerRole role, string silo, string clusterId) => $"{(byte)role}|{silo}|{clusterId}";

    private static byte[] Mac(byte[] key, string label, byte[] first, byte[] second, string identity)
    {
        var data = new FrameBuffer();
        data.WriteString(label);
        data.WriteBytes(first);
        data.WriteBytes(second);
        data.WriteString(identity);
        return HMACSHA256.HashData(key, data.WrittenMemory.Span);
    }

    private static (PeerRole, string, string, string, byte[]) ParseHello(byte[] frame)
    {
        var reader = new WireReader(new ReadOnlySequence<byte>(frame));
        if (reader.ReadByte() != FrameKind.Hello || reader.ReadByte() != ProtocolVersion)
        {
            throw new ClusterAuthenticationException("The peer does not speak this protocol version.");
        }

        var role = (PeerRole)reader.ReadByte();
        if (role is not (PeerRole.Silo or PeerRole.Client))
        {
            throw new ClusterAuthenticationException("Unknown peer role.");
        }

        return (role, reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadBytes(NonceSize));
    }

    private static (string, byte[], byte[]) ParseChallenge(byte[] frame)
    {
        var reader = new WireReader(new ReadOnlySequence<byte>(frame));
        if (reader.ReadByte() != FrameKind.Challenge)
        {
            throw new ClusterAuthenticationException("The peer did not answer the handshake.");
        }

        return (reader.ReadString(), reader.ReadBytes(NonceSize), reader.ReadBytes(32));
    }

    private static async Task<byte[]> ReadFrameAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (Connection.TryReadFrame(ref buffer, MaxHandshakeFrame, out var payload))
            {
                var bytes = payload.ToArray();
                reader.AdvanceTo(buffer.Start);
                return bytes;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new ClusterAuthenticationException("The peer closed the connection during the handshake (does it hold the cluster key?).");
            }
        }
    }
}
