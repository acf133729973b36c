using System.Diagnostics;
using System.Globalization;
using AviOrleans.Grains.DataPlane;

// The data-plane tests' stand-in for the silo executable (the test host cannot take the guard's arguments):
//   AviOrleans.DataPlane.GuardHost vip-guard --parent PID --mark N [--netns NAME]   the guard, as the silo runs it
//   AviOrleans.DataPlane.GuardHost parent MARK NAMESPACE [STORE-JSON LEASE]           a silo stand-in: starts the guard
//       as its own child, names its lease store and lease to it when given, prints "armed guard=PID" once the guard
//       is armed, then waits to be killed.
if (VipGuardProcess.IsGuardCommand(args))
{
    return await VipGuardProcess.RunAsync(args);
}

if (args is ["parent", var mark, var networkNamespace, .. var lease] && lease.Length is 0 or 2)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
    {
        start.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
    }

    foreach (var argument in VipGuardProcess.Arguments(Environment.ProcessId, byte.Parse(mark, CultureInfo.InvariantCulture), networkNamespace))
    {
        start.ArgumentList.Add(argument);
    }

    using var guard = Process.Start(start)!;
    if (await guard.StandardOutput.ReadLineAsync() != "armed")
    {
        return 4;
    }

    if (lease is [var store, var name])
    {
        await guard.StandardInput.WriteLineAsync("lease-store " + store);
        await guard.StandardInput.WriteLineAsync("lease " + name);
        await guard.StandardInput.FlushAsync();
    }

    Console.WriteLine($"armed guard={guard.Id.ToString(CultureInfo.InvariantCulture)}");
    await Task.Delay(Timeout.Infinite);
}

await Console.Error.WriteLineAsync("usage: vip-guard ... | parent MARK NAMESPACE [STORE-JSON LEASE]");
return 2;
