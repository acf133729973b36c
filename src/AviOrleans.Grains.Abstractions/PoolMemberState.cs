namespace AviOrleans.Grains;

/// <summary>A pool server's health as one SE's monitors see it.</summary>
[GenerateSerializer, Alias("avi.PoolMemberState")]
public enum PoolMemberState
{
    /// <summary>Not checked yet.</summary>
    Unknown = 0,

    /// <summary>Every monitor of the pool passes (after its <c>successful_checks</c>).</summary>
    Up = 1,

    /// <summary>At least one monitor failed <c>failed_checks</c> times in a row.</summary>
    Down = 2,
}
