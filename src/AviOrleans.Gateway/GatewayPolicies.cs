namespace AviOrleans.Gateway;

/// <summary>
/// The authorization policies of the avi.v1 services and the roles they need. Reads (<c>Get*</c>, <c>List*</c>,
/// <c>Watch*</c>) carry <see cref="Reader"/>; every other method also carries <see cref="Admin"/>.
/// </summary>
public static class GatewayPolicies
{
    /// <summary>The policy of reads: a reader or an admin token.</summary>
    public const string Reader = "avi.v1.reader";

    /// <summary>The policy of changes and HA operations: an admin token.</summary>
    public const string Admin = "avi.v1.admin";

    /// <summary>The role claim of a reader token.</summary>
    public const string ReaderRole = "reader";

    /// <summary>The role claim of an admin token.</summary>
    public const string AdminRole = "admin";
}
