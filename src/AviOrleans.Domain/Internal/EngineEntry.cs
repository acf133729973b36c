namespace AviOrleans.Domain.Internal;

/// <summary>One placement of a unit on an SE (the working form of a <see cref="SeListEntry"/>).</summary>
internal struct EngineEntry
{
    public int Se;
    public bool IsPrimary;
    public bool IsStandby;
    public int SecIdx;
    public bool Deleting;
    public DateTimeOffset? Deadline;
    public bool Migrating;
}
