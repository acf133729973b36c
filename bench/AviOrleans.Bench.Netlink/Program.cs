using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using AviOrleans.Netlink;
using AviOrleans.Netlink.Agent;

// Netlink address throughput of AviOrleans.Netlink against `ip -batch` in the same run, plus the latency of one
// add + gratuitous ARP. Method as in FAILOVER-ANCHORS §2: a private namespace with a veth pair nl0/nl1, both up;
// IPv4 /32 from 198.18.0.0/15, IPv6 /128 nodad from 2001:db8::/32; each batch is added, counted, deleted, counted.
// `ip -batch` sends one request and waits for its ACK before the next; the library sends up to 256 requests per
// send(2) and matches the ACKs by sequence number. `ip` is timed as a process (start-up included), as in §2.
//
//   dotnet run -c Release --project bench/AviOrleans.Bench.Netlink [-- --quick]
// Needs root. Prints a markdown report on stdout.
if (!Environment.IsPrivilegedProcess)
{
    Console.Error.WriteLine("Needs root (network namespaces, CAP_NET_ADMIN).");
    return 1;
}

var quick = args.Contains("--quick");
var ns = "avinl-bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
var work = Directory.CreateTempSubdirectory("avinl-bench-");
var report = new StringBuilder();
try
{
    Run("ip", "netns", "add", ns);
    Run("ip", "-n", ns, "link", "add", "nl0", "type", "veth", "peer", "name", "nl1");
    Run("ip", "-n", ns, "link", "set", "nl0", "up");
    Run("ip", "-n", ns, "link", "set", "nl1", "up");
    using var client = NetlinkRouteClient.Open(NetworkNamespace.FromName(ns));

    report.AppendLine("| family | N | op | tool | median ms | min..max ms | addr/s (median) | reps |");
    report.AppendLine("| --- | ---: | --- | --- | ---: | --- | ---: | ---: |");
    var cases = new List<(string Family, int Count, int Reps, TimeSpan Settle)>
    {
        ("IPv4 /32", 1_000, quick ? 2 : 7, TimeSpan.FromSeconds(1)),
        ("IPv4 /32", 10_000, quick ? 1 : 5, TimeSpan.FromSeconds(1)),
        ("IPv6 /128 nodad", 1_000, quick ? 1 : 3, TimeSpan.FromSeconds(quick ? 2 : 15)),
    };

    // Warm-up: JIT, page cache for `ip`, kernel slabs.
    Measure(client, ns, work.FullName, "IPv4 /32", 1_000, 250, libraryFirst: true, TimeSpan.FromSeconds(1));

    var block = 0;
    foreach (var (family, count, reps, settle) in cases)
    {
        var timings = new Dictionary<(string Op, string Tool), List<double>>();
        for (var rep = 0; rep < reps; rep++)
        {
            // Fresh addresses in every repetition and for each tool (IPv6 re-adds right after a delete hit the
            // kernel's slow MLD path, FAILOVER-ANCHORS §2 "churn"); alternate which tool goes first.
            var result = Measure(client, ns, work.FullName, family, count, block, libraryFirst: rep % 2 == 0, settle);
            block += 2;
            foreach (var (key, ms) in result)
            {
                (timings.TryGetValue(key, out var list) ? list : timings[key] = []).Add(ms);
            }
        }

        foreach (var op in new[] { "add", "del" })
        {
            foreach (var tool in new[] { "AviOrleans.Netlink", "ip -batch" })
            {
                var values = timings[(op, tool)].Order().ToList();
                var median = Percentile(values, 50);
                report.AppendLine(CultureInfo.InvariantCulture, $"| {family} | {count:N0} | {op} | {tool} | {median:F1} | {values[0]:F1}..{values[^1]:F1} | {count / median * 1000:N0} | {values.Count} |");
            }
        }
    }

    report.AppendLine();
    report.AppendLine(Latency(client, ns, quick ? 50 : 500));
    Console.Write(report.ToString());
    return 0;
}
finally
{
    TryRun("ip", "netns", "del", ns);
    work.Delete(recursive: true);
}

static Dictionary<(string Op, string Tool), double> Measure(NetlinkRouteClient client, string ns, string work, string family, int count, int block, bool libraryFirst, TimeSpan settle)
{
    var ipv6 = family.StartsWith("IPv6", StringComparison.Ordinal);
    var results = new Dictionary<(string, string), double>();
    for (var turn = 0; turn < 2; turn++)
    {
        // Settle before each tool's turn (1 s IPv4, 15 s IPv6 as in §2), so neither pays for the other's deletes.
        Thread.Sleep(settle);
        var library = (turn == 0) == libraryFirst;
        var addresses = Addresses(ipv6, count, block + turn);
        if (library)
        {
            var requests = addresses.Select(a => new AddressRequest(a, ipv6 ? 128 : 32, "nl0")).ToList();
            var watch = Stopwatch.StartNew();
            var added = client.AddAddresses(requests);
            results[("add", "AviOrleans.Netlink")] = watch.Elapsed.TotalMilliseconds;
            Check(added.All(r => r.Outcome == AddressOperationOutcome.Added) && CountOn(client, ipv6) == count, "library add");
            watch.Restart();
            var deleted = client.DeleteAddresses(requests);
            results[("del", "AviOrleans.Netlink")] = watch.Elapsed.TotalMilliseconds;
            Check(deleted.All(r => r.Outcome == AddressOperationOutcome.Deleted) && CountOn(client, ipv6) == 0, "library delete");
        }
        else
        {
            var suffix = ipv6 ? "/128 dev nl0 nodad" : "/32 dev nl0";
            var addFile = Path.Combine(work, "add.batch");
            var delFile = Path.Combine(work, "del.batch");
            File.WriteAllLines(addFile, addresses.Select(a => $"addr add {a}{suffix}"));
            File.WriteAllLines(delFile, addresses.Select(a => $"addr del {a}/{(ipv6 ? 128 : 32)} dev nl0"));
            var watch = Stopwatch.StartNew();
            Run("ip", "-n", ns, "-batch", addFile);
            results[("add", "ip -batch")] = watch.Elapsed.TotalMilliseconds;
            Check(CountOn(client, ipv6) == count, "ip add");
            watch.Restart();
            Run("ip", "-n", ns, "-batch", delFile);
            results[("del", "ip -batch")] = watch.Elapsed.TotalMilliseconds;
            Check(CountOn(client, ipv6) == 0, "ip delete");
        }
    }

    return results;
}

static string Latency(NetlinkRouteClient client, string ns, int samples)
{
    using var announcer = NeighborAnnouncer.Open(NetworkNamespace.FromName(ns));
    var link = client.GetLink("nl0");
    var vip = IPAddress.Parse("192.0.2.10");
    var request = new AddressRequest(vip, 32, "nl0");
    var addPlusGarp = new List<double>();
    for (var i = 0; i < samples + 20; i++)
    {
        var watch = Stopwatch.StartNew();
        client.AddAddress(request);
        announcer.SendGratuitousArp(link, vip, GratuitousArpForm.Request);
        var elapsed = watch.Elapsed.TotalMicroseconds;
        client.DeleteAddress(request);
        if (i >= 20)
        {
            addPlusGarp.Add(elapsed);
        }
    }

    // The same through the agent: an order for one VIP, reconciled (list, add, list) and announced once.
    using var host = new NetlinkHostNetwork(NetworkNamespace.FromName(ns), new AnnouncementOptions { Count = 1 });
    var agent = new VipAgent(host, new VipAgentOptions { ReconcileInterval = TimeSpan.FromHours(1) });
    agent.StartAsync().GetAwaiter().GetResult();
    var apply = new List<double>();
    for (var i = 0; i < samples + 20; i++)
    {
        var watch = Stopwatch.StartNew();
        agent.ApplyAsync(new VipOrder("vs-bench", 2 * i, [VipBinding.Host(vip, "nl0")])).GetAwaiter().GetResult();
        var elapsed = watch.Elapsed.TotalMicroseconds;
        agent.ApplyAsync(new VipOrder("vs-bench", 2 * i + 1, [])).GetAwaiter().GetResult();
        if (i >= 20)
        {
            apply.Add(elapsed);
        }
    }

    agent.DisposeAsync().AsTask().GetAwaiter().GetResult();
    addPlusGarp.Sort();
    apply.Sort();
    return string.Join(Environment.NewLine,
        "| latency of one VIP (µs) | samples | median | p99 | max |",
        "| --- | ---: | ---: | ---: | ---: |",
        string.Create(CultureInfo.InvariantCulture, $"| add /32 + one gratuitous ARP sent (library) | {addPlusGarp.Count} | {Percentile(addPlusGarp, 50):F0} | {Percentile(addPlusGarp, 99):F0} | {addPlusGarp[^1]:F0} |"),
        string.Create(CultureInfo.InvariantCulture, $"| VipAgent.ApplyAsync of one VIP (list + add + list + one GARP) | {apply.Count} | {Percentile(apply, 50):F0} | {Percentile(apply, 99):F0} | {apply[^1]:F0} |"),
        string.Empty);
}

static List<IPAddress> Addresses(bool ipv6, int count, int block)
{
    var list = new List<IPAddress>(count);
    for (var i = 0; i < count; i++)
    {
        if (ipv6)
        {
            var bytes = new byte[16];
            bytes[0] = 0x20; bytes[1] = 0x01; bytes[2] = 0x0d; bytes[3] = 0xb8;
            bytes[6] = (byte)(block >> 8); bytes[7] = (byte)block;
            bytes[14] = (byte)(i >> 8); bytes[15] = (byte)i;
            list.Add(new IPAddress(bytes));
        }
        else
        {
            // 198.18.0.0/15 holds 131,072 addresses: blocks of 16,384 wrap after 8 blocks, which is fine because
            // every block is deleted before the next one starts.
            var n = (block % 8) * 16_384 + i;
            list.Add(new IPAddress([198, (byte)(18 + (n >> 16)), (byte)(n >> 8), (byte)n]));
        }
    }

    return list;
}

static int CountOn(NetlinkRouteClient client, bool ipv6) =>
    client.ListAddresses("nl0").Count(a => a.IsIPv6 == ipv6 && a.Scope == 0);

static double Percentile(List<double> sorted, int percentile)
{
    // Nearest rank, as in FAILOVER-ANCHORS.
    var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count);
    return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
}

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException($"Verification failed after {what}.");
    }
}

static void Run(params string[] command)
{
    var (code, error) = TryRun(command);
    if (code != 0)
    {
        throw new InvalidOperationException($"{string.Join(' ', command)} exited {code}: {error}");
    }
}

static (int Code, string Error) TryRun(params string[] command)
{
    var start = new ProcessStartInfo(command[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
    foreach (var argument in command.Skip(1))
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start)!;
    var error = process.StandardError.ReadToEndAsync();
    process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    return (process.ExitCode, error.Result);
}
