using AviOrleans.Testing.Lan;

namespace AviOrleans.EndToEnd.Tests;

/// <summary>The end-to-end tests need root and a few tools (<see cref="LanPrerequisites"/>). On a developer laptop
/// without them they skip; where CI=true anything missing fails the test, so a green CI run always ran them.</summary>
internal static class Requirements
{
    public static bool IsCi => Environment.GetEnvironmentVariable("CI") is { } ci
        && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>Root and iproute2, plus <paramref name="tools"/>.</summary>
    public static void Require(params string[] tools)
    {
        var missing = LanPrerequisites.Missing([LanPrerequisites.Ip, .. tools]);
        if (missing.Count == 0)
        {
            return;
        }

        var message = $"The end-to-end tests need {string.Join(", ", missing)} (root; scripts/test.sh installs the tools).";
        if (IsCi)
        {
            Assert.Fail(message + " CI=true: a missing privilege or tool is a failure.");
        }

        Assert.Skip(message);
    }

    /// <summary>The PostgreSQL server the LAN's store relays to (<see cref="LanOptions.PostgresVariable"/>; scripts/test.sh
    /// starts one): the AviOrleans silos keep their cluster in it.</summary>
    public static void RequireStore()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(LanOptions.PostgresVariable)))
        {
            return;
        }

        var message = $"The AviOrleans end-to-end tests need PostgreSQL: {LanOptions.PostgresVariable} is not set (scripts/test.sh starts one).";
        if (IsCi)
        {
            Assert.Fail(message + " CI=true: a missing store is a failure.");
        }

        Assert.Skip(message);
    }
}
