using System.Net;
using AviOrleans.Netlink;

// A helper the netlink tests start in a child process without a capability (setpriv), inside the test's network
// namespace: it tries one privileged operation and reports what the library threw.
//   usage: AviOrleans.Netlink.PrivilegeProbe add INTERFACE ADDRESS/PREFIX   (needs CAP_NET_ADMIN)
//          AviOrleans.Netlink.PrivilegeProbe announce                       (opens the packet socket: CAP_NET_RAW)
// Prints the exception type and message; exit code 0 when the operation was refused with NetlinkPermissionException,
// 3 when it succeeded, 4 for any other error, 2 for bad arguments.
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
