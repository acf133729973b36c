using System.Globalization;

namespace AviOrleans.Runtime.Membership;

/// <summary>
/// The version of the whole membership table. Every versioned change (insert, status change, vote) is
/// written conditionally on the version that was read, and advances it; I-am-alive writes do not.
/// </summary>
/// <param name="Version">The version number.</param>
/// <param name="VersionEtag">The store's opaque tag of the version that was read: what a conditional write compares.</param>
public readonly record struct TableVersion(int Version, string VersionEtag)
{
    /// <summary>
    /// The version a write proposes: the number advances, the tag stays the one that was read, because the
    /// store compares the tag against its current one.
    /// </summary>
    public TableVersion Next() => new(Version + 1, VersionEtag);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"<{Version}, {VersionEtag}>");
}
