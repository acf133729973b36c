using AviOrleans.Api.V1;
using AviOrleans.Gateway;
using AviOrleans.Gateway.Internal;
using Google.Protobuf.WellKnownTypes;

namespace AviOrleans.Gateway.Tests;

public sealed class FieldMasksTests
{
    private static readonly HashSet<string> Immutable = ["name"];
    private static readonly HashSet<string> OutputOnly = ["oper_status"];

    private static VirtualService Current() => new()
    {
        Name = "web",
        SeGroupRef = "g1",
        Vip = { new Vip { VipId = "0", IpAddress = "192.0.2.10" } },
        Enabled = true,
        TrafficEnabled = true,
        ActiveStandbySeTag = ActiveStandbySeTag.ActiveStandbySe1,
    };

    [Fact]
    public void Apply_MaskedFields_ChangesOnlyThem()
    {
        var patch = new VirtualService { Name = "web", Enabled = false, SeGroupRef = "ignored", Vip = { new Vip { VipId = "1", IpAddress = "192.0.2.11" } } };
        var fields = FieldMasks.Resolve(patch, new FieldMask { Paths = { "enabled", "vip" } }, Immutable, OutputOnly);

        var result = FieldMasks.Apply(Current(), patch, fields);

        Assert.False(result.Enabled);
        Assert.Equal("g1", result.SeGroupRef);
        Assert.Equal("192.0.2.11", Assert.Single(result.Vip).IpAddress);
    }

    [Fact]
    public void Apply_MaskedOptionalFieldAbsent_ClearsToDefault()
    {
        var patch = new VirtualService { Name = "web" };
        var fields = FieldMasks.Resolve(patch, new FieldMask { Paths = { "traffic_enabled" } }, Immutable, OutputOnly);

        var result = FieldMasks.Apply(Current(), patch, fields);

        Assert.False(result.HasTrafficEnabled);
    }

    [Fact]
    public void Resolve_EmptyMask_TakesPopulatedFieldsExceptName()
    {
        var patch = new VirtualService { Name = "web", Enabled = false, ActiveStandbySeTag = ActiveStandbySeTag.ActiveStandbySe2 };

        var fields = FieldMasks.Resolve(patch, new FieldMask(), Immutable, OutputOnly);

        Assert.Equal(["enabled", "active_standby_se_tag"], fields.Select(f => f.Name));
    }

    [Fact]
    public void Resolve_BadPaths_ReportsEveryOneWithItsIndex()
    {
        var patch = new VirtualService { Name = "web" };

        var ex = Assert.Throws<InvalidRequestException>(() => FieldMasks.Resolve(
            patch, new FieldMask { Paths = { "enabled", "no_such_field", "name", "oper_status", "vip.enabled" } }, Immutable, OutputOnly));

        Assert.Equal(
            ["update_mask.paths[1]", "update_mask.paths[2]", "update_mask.paths[3]", "update_mask.paths[4]"],
            ex.Violations.Select(v => v.Field));
    }

    [Fact]
    public void Resolve_Wildcard_TakesEveryUpdatableField()
    {
        var fields = FieldMasks.Resolve(new VirtualService(), new FieldMask { Paths = { "*" } }, Immutable, OutputOnly);

        Assert.DoesNotContain(fields, f => f.Name is "name" or "oper_status");
        Assert.Contains(fields, f => f.Name == "vip");
    }
}
