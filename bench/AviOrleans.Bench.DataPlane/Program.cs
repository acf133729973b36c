using AviOrleans.Bench.DataPlane;
using AviOrleans.Grains.DataPlane;

// The data-plane bench (bench/results/fencing.md): detection (datapath heartbeats vs Orleans membership alone), the
// takeover gate after a frozen or killed silo, the self-fence reaction of an isolated host, and false suspicions
// while both cores are saturated; real silo processes in network namespaces, the real PostgreSQL.
//   dotnet run -c Release --project bench/AviOrleans.Bench.DataPlane -- [--runs N] [--saturation-seconds S] [--out FILE]
// The same program is the silos it starts ("silo ...") and their guards ("vip-guard ...").
if (VipGuardProcess.IsGuardCommand(args))
{
    return await VipGuardProcess.RunAsync(args);
}

return args switch
{
    ["silo", ..] => await BenchSilo.RunAsync(args[1..]),
    _ => await BenchDriver.RunAsync(args),
};
