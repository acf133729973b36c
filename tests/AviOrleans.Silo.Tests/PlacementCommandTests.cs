using System.CommandLine;
using System.Text.Json;
using AviOrleans.Silo.Placement;

namespace AviOrleans.Silo.Tests;

public sealed class PlacementCommandTests
{
    private static (int Exit, string Output, string Error) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = SiloCommands.Build().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Placement_NPlusMExampleWithFailedSe_PrintsTheTakeover()
    {
        var (exit, output, _) = Invoke("placement", RepositoryFiles.Path("examples/n-plus-m.json"), "--fail", "se-2");

        Assert.Equal(0, exit);
        Assert.Contains("se-2            OPER_DOWN", output, StringComparison.Ordinal);
        Assert.Contains("SE_DOWN", output, StringComparison.Ordinal);
        Assert.Contains("re-placed on", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Placement_Json_UsesAviNamesAndOneOwnerPerAddress()
    {
        var (exit, output, _) = Invoke("placement", RepositoryFiles.Path("examples/legacy-pair.json"), "--fail", "se-b", "--json");

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var group = doc.RootElement.GetProperty("serviceenginegroup")[0];
        Assert.Equal("HA_MODE_LEGACY_ACTIVE_STANDBY", group.GetProperty("ha_mode").GetString());
        var owners = group.GetProperty("addresses").EnumerateArray().Select(a => a.GetProperty("se_ref").GetString()).ToList();
        Assert.Equal(6, owners.Count);
        Assert.All(owners, o => Assert.Equal("se-a", o));
        Assert.Equal("se-a", group.GetProperty("legacy").GetProperty("floating_intf_ip_se_2_owner").GetString());
    }

    [Fact]
    public void Placement_InvalidFile_ExitsTwoWithViolationsByPath()
    {
        var (exit, _, error) = Invoke("placement", RepositoryFiles.Path("examples/invalid.json"));

        Assert.Equal(2, exit);
        Assert.Contains("serviceengine[2].se_group_ref", error, StringComparison.Ordinal);
        Assert.Contains("virtualservice[1].vip[1].ip_address", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Placement_UnknownSeInFail_ExitsTwo()
    {
        var (exit, _, error) = Invoke("placement", RepositoryFiles.Path("examples/n-plus-m.json"), "--fail", "se-99");

        Assert.Equal(2, exit);
        Assert.Contains("--fail", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Placement_MissingFile_ExitsOne()
    {
        var (exit, _, error) = Invoke("placement", "/nonexistent/aviorleans.json");

        Assert.Equal(1, exit);
        Assert.Contains("cannot read", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Placement_FromFlags_PlacesActiveActiveOnTwoSesEach()
    {
        var (exit, output, _) = Invoke("placement", "--ha-mode", "HA_MODE_SHARED_PAIR", "--ses", "3", "--vss", "3", "--json");

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var vss = doc.RootElement.GetProperty("serviceenginegroup")[0].GetProperty("virtualservice").EnumerateArray().ToList();
        Assert.Equal(3, vss.Count);
        Assert.All(vss, vs => Assert.Equal(2, vs.GetProperty("vip")[0].GetProperty("se_list").GetArrayLength()));
    }

    [Fact]
    public void Placement_BadHaModeFlag_ExitsTwo()
    {
        var (exit, _, error) = Invoke("placement", "--ha-mode", "HA_MODE_FOO");

        Assert.Equal(2, exit);
        Assert.Contains("--ha-mode", error, StringComparison.Ordinal);
    }
}
