using AviOrleans.Domain;

namespace AviOrleans.Grains.Internal;

/// <summary>One address an object uses, with the field that holds it and how violations name the use.</summary>
internal sealed record AddressUse(string Canonical, string Value, string Field, string Description)
{
    public static IEnumerable<AddressUse> Of(VirtualService vs) =>
        Vips(vs.Vip, $"virtualservice {vs.Name}").Concat(vs.SnatIp.Select((a, i) => Use(a, $"snat_ip[{i}]", $"virtualservice {vs.Name} (snat_ip)"))).OfType<AddressUse>();

    public static IEnumerable<AddressUse> Of(VsVip vsVip) => Vips(vsVip.Vip, $"vsvip {vsVip.Name}").OfType<AddressUse>();

    public static IEnumerable<AddressUse> Of(ServiceEngineGroup group) =>
        group.FloatingIntfIp.Select((a, i) => Use(a, $"floating_intf_ip[{i}]", $"serviceenginegroup {group.Name} (floating_intf_ip)"))
            .Concat(group.FloatingIntfIpSe2.Select((a, i) => Use(a, $"floating_intf_ip_se_2[{i}]", $"serviceenginegroup {group.Name} (floating_intf_ip_se_2)")))
            .OfType<AddressUse>();

    private static IEnumerable<AddressUse?> Vips(EquatableArray<Vip> vips, string owner) =>
        vips.SelectMany((vip, i) => new[]
        {
            vip.IpAddress is { } v4 ? Use(v4, $"vip[{i}].ip_address", $"{owner} (vip {vip.VipId})") : null,
            vip.Ip6Address is { } v6 ? Use(v6, $"vip[{i}].ip6_address", $"{owner} (vip {vip.VipId})") : null,
        });

    // Only addresses are claimed: a value that is not one is the validator's to refuse.
    private static AddressUse? Use(string value, string field, string description) =>
        System.Net.IPAddress.TryParse(value, out _) ? new AddressUse(AddressClaims.Canonical(value), value, field, description) : null;
}
