namespace AviOrleans.Grains.Monitoring.Internal;

/// <summary>The outcome of one health check: passed, or failed with the reason (for people).</summary>
internal readonly record struct CheckResult(bool Passed, string Reason)
{
    public static CheckResult Pass { get; } = new(true, string.Empty);

    public static CheckResult Fail(string reason) => new(false, reason);
}
