namespace AviOrleans.DataPlane.Tests;

/// <summary>These tests need root (network namespaces, CAP_NET_ADMIN). Without it they skip on a developer machine;
/// where CI=true a missing privilege fails the test, so a green CI run always ran them.</summary>
internal static class Privilege
{
    public static void RequireRoot()
    {
        if (Environment.IsPrivilegedProcess)
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("The data-plane tests must run as root where CI=true (network namespaces, CAP_NET_ADMIN).");
        }

        Assert.Skip("Needs root: network namespaces and CAP_NET_ADMIN.");
    }
}
