namespace AviOrleans.Gateway.Internal;

/// <summary>What an Update of one resource may touch: its request field, and the fields a mask may not name.</summary>
/// <param name="Field">The request's resource field (<c>service_engine_group</c>), the prefix of every violation.</param>
/// <param name="Immutable">Fields fixed at creation (the name).</param>
/// <param name="OutputOnly">Fields the server fills in.</param>
internal sealed record UpdateRules(string Field, IReadOnlySet<string> Immutable, IReadOnlySet<string> OutputOnly);
