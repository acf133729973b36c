using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using AviOrleans.Netlink;
using AviOrleans.Netlink.Agent;

// A helper the netlink tests start in child processes.
// Without a capability (setpriv), inside the test's network namespace, it tries one privileged operation and reports
// what the library threw:
//   usage: AviOrleans.Netlink.PrivilegeProbe add INTERFACE ADDRESS/PREFIX   (needs CAP_NET_ADMIN)
//          AviOrleans.Netlink.PrivilegeProbe announce                       (opens the packet socket: CAP_NET_RAW)
// Prints the exception type and message; exit code 0 when the operation was refused with NetlinkPermissionException,
// 3 when it succeeded, 4 for any other error, 2 for bad arguments.
// As a silo stand-in for the VipGuard test:
//          AviOrleans.Netlink.PrivilegeProbe guard-parent NAMESPACE MARK    (starts the guard, prints
//                                                                             "armed guard=PID", then waits to be killed)
//          AviOrleans.Netlink.PrivilegeProbe guard PARENT-PID NAMESPACE MARK (the guard itself)
try
{
    switch (args)
    {
        case ["add", var interfaceName, var addressAndPrefix] when addressAndPrefix.Split('/') is [var text, var prefix]:
            using (var client = NetlinkRouteClient.Open())
            {
                client.AddAddress(new AddressRequest(IPAddress.Parse(text), int.Parse(prefix, System.Globalization.CultureInfo.InvariantCulture), interfaceName));
            }

            Console.WriteLine("added");
            return 3;
        case ["announce"]:
            using (NeighborAnnouncer.Open())
            {
                Console.WriteLine("opened");
                return 3;
            }

        case ["guard-parent", var namespaceName, var mark]:
            return await RunGuardParentAsync(namespaceName, mark);
        case ["guard", var parent, var namespaceName, var mark]:
            using (var guard = new VipGuard(int.Parse(parent, CultureInfo.InvariantCulture), byte.Parse(mark, CultureInfo.InvariantCulture), NetworkNamespace.FromName(namespaceName)))
            {
                // Nothing is written after "armed": the reader of this pipe is the parent, which is dead by then.
                await guard.RunAsync(armed: () => Console.WriteLine("armed"));
                return 0;
            }

        default:
            Console.Error.WriteLine("usage: AviOrleans.Netlink.PrivilegeProbe add INTERFACE ADDRESS/PREFIX | announce");
            return 2;
    }
}
catch (NetlinkPermissionException ex)
{
    Console.WriteLine($"{ex.GetType().Name} errno={ex.Errno}: {ex.Message}");
    return 0;
}
catch (NetlinkException ex)
{
    Console.WriteLine($"{ex.GetType().Name} errno={ex.Errno}: {ex.Message}");
    return 4;
}

static async Task<int> RunGuardParentAsync(string namespaceName, string mark)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var argument in new[] { Assembly.GetEntryAssembly()!.Location, "guard", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), namespaceName, mark })
    {
        start.ArgumentList.Add(argument);
    }

    using var guard = Process.Start(start)!;
    var line = await guard.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
    if (line != "armed")
    {
        Console.WriteLine($"guard did not arm: {line}");
        return 4;
    }

    Console.WriteLine($"armed guard={guard.Id.ToString(CultureInfo.InvariantCulture)}");
    // The test kills this process with SIGKILL; the bound only keeps a forgotten probe from living forever.
    await Task.Delay(TimeSpan.FromMinutes(5));
    return 0;
}
