namespace AviOrleans.Netlink.Tests;

/// <summary>The tests in this project need root (network namespaces, CAP_NET_ADMIN). On a developer laptop
/// without it they skip; where CI=true a missing privilege fails the test, so a green CI run always ran them.</summary>
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
            Assert.Fail("The netlink tests must run as root where CI=true (network namespaces, CAP_NET_ADMIN).");
        }

        Assert.Skip("Needs root: network namespaces and CAP_NET_ADMIN.");
    }
}
