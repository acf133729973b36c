using System.Net;
using AviOrleans.Netlink;

// A helper the netlink tests start in a child process without CAP_NET_ADMIN (setpriv), inside the test's network
// namespace: it tries to add one address and reports what the library threw.
//   usage: AviOrleans.Netlink.PrivilegeProbe INTERFACE ADDRESS/PREFIX
// Prints the exception type and message; exit code 0 when the add was refused with NetlinkPermissionException,
// 3 when the add succeeded, 4 for any other error, 2 for bad arguments.
if (args.Length != 2 || args[1].Split('/') is not [var text, var prefix])
{
    Console.Error.WriteLine("usage: AviOrleans.Netlink.PrivilegeProbe INTERFACE ADDRESS/PREFIX");
    return 2;
}

try
{
    using var client = NetlinkRouteClient.Open();
    client.AddAddress(new AddressRequest(IPAddress.Parse(text), int.Parse(prefix, System.Globalization.CultureInfo.InvariantCulture), args[0]));
    Console.WriteLine("added");
    return 3;
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
