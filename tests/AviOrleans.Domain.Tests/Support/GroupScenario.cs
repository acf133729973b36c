using AviOrleans.Domain;

namespace AviOrleans.Domain.Tests.Support;

/// <summary>A group, its SEs and VSs and the current placement; each step runs the engine on the changed input.</summary>
public sealed class GroupScenario
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public GroupScenario(ServiceEngineGroup group) => Group = group;

    public ServiceEngineGroup Group { get; set; }

    public List<ServiceEngine> Ses { get; } = [];

    public List<VirtualService> Vss { get; } = [];

    public List<VsVip> VsVips { get; } = [];

    public List<SeLoadSample> LoadSamples { get; } = [];

    public GroupPlacement? Placement { get; private set; }

    public PlacementResult? Last { get; private set; }

    public DateTimeOffset Now { get; set; } = Start;

    public ControllerProperties ControllerProperties { get; set; } = new();

    public static GroupScenario Create(HaMode mode, Func<ServiceEngineGroup, ServiceEngineGroup>? configure = null)
    {
        var group = new ServiceEngineGroup { Name = "g", HaMode = mode };
        return new GroupScenario(configure is null ? group : configure(group));
    }

    public GroupScenario WithSes(int count, Func<int, string?>? host = null)
    {
        for (var i = 1; i <= count; i++)
        {
            AddSe($"se-{i}", host?.Invoke(i));
        }

        return this;
    }

    public GroupScenario AddSe(string name, string? host = null)
    {
        Ses.Add(new ServiceEngine { Name = name, SeGroupRef = Group.Name, HostRef = host });
        return this;
    }

    public GroupScenario WithVss(int count, string prefix = "vs-", int firstOctet = 10)
    {
        for (var i = 1; i <= count; i++)
        {
            AddVs($"{prefix}{i:D2}", $"{firstOctet}.0.{i / 250}.{(i % 250) + 1}");
        }

        return this;
    }

    public GroupScenario AddVs(string name, string ip, Func<VirtualService, VirtualService>? configure = null)
    {
        var vs = new VirtualService { Name = name, SeGroupRef = Group.Name, Vip = [new Vip { VipId = "0", IpAddress = ip }] };
        Vss.Add(configure is null ? vs : configure(vs));
        return this;
    }

    public void SetSe(string name, Func<ServiceEngine, ServiceEngine> change)
    {
        var i = Ses.FindIndex(s => s.Name == name);
        Ses[i] = change(Ses[i]);
    }

    public void SetVs(string name, Func<VirtualService, VirtualService> change)
    {
        var i = Vss.FindIndex(s => s.Name == name);
        Vss[i] = change(Vss[i]);
    }

    public void Fail(string se) => SetSe(se, s => s with { OperState = OperState.Down });

    public void Recover(string se) => SetSe(se, s => s with { OperState = OperState.Up });

    public PlacementInput Input(params PlacementRequest[] requests) => new()
    {
        Group = Group,
        ServiceEngines = [.. Ses],
        VirtualServices = [.. Vss],
        VsVips = [.. VsVips],
        Previous = Placement,
        Requests = requests,
        LoadSamples = [.. LoadSamples],
        Now = Now,
        ControllerProperties = ControllerProperties,
    };

    public PlacementResult Run(params PlacementRequest[] requests)
    {
        Last = PlacementEngine.Compute(Input(requests));
        Placement = Last.Placement;
        return Last;
    }

    public VsPlacement Vs(string name) => Placement!.Find(name) ?? throw new InvalidOperationException($"no placement for {name}");

    public string? Primary(string vs) => Vs(vs).PrimarySeRef;

    public IReadOnlyList<string> SesOf(string vs) => [.. Vs(vs).SeList.Where(e => !e.DeleteInProgress && !e.IsStandby).Select(e => e.SeRef)];

    public string? StandbyOf(string vs) => Vs(vs).SeList.FirstOrDefault(e => e.IsStandby)?.SeRef;

    public int LoadOf(string se) => Runtime(se).Load;

    public SeRuntime Runtime(string se) => Placement!.ServiceEngines.Single(s => s.SeRef == se);

    public SeRequirement Requirement => Placement!.SeRequirement!;

    public int ActiveCountOn(string se) =>
        Placement!.VirtualServices.Count(v => v.SeList.Any(e => e.SeRef == se && !e.DeleteInProgress && !e.IsStandby));

    public Dictionary<string, string> Owners() => Placement!.GetAddressOwners().ToDictionary(o => o.Address, o => o.SeRef);
}
