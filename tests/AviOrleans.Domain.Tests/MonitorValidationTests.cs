using AviOrleans.Domain;

namespace AviOrleans.Domain.Tests;

/// <summary>Gateway monitors on a group and health monitors on a pool: Avi's defaults and ranges, and what is refused.</summary>
public sealed class MonitorValidationTests
{
    private static ServiceEngineGroup Legacy(params GatewayMonitor[] monitors) =>
        new() { Name = "g", HaMode = HaMode.LegacyActiveStandby, MaxSe = 2, GatewayMon = [.. monitors] };

    private static VirtualService Vs(params HealthMonitor[] monitors) => new()
    {
        Name = "vs",
        SeGroupRef = "g",
        Vip = [new Vip { VipId = "0", IpAddress = "192.0.2.10" }],
        PoolServers = [new PoolServer { Ip = "192.0.2.20", Port = 8080 }],
        PoolHealthMonitors = [.. monitors],
    };

    private static string[] Paths(IEnumerable<FieldViolation> violations) => [.. violations.Select(v => v.FieldPath)];

    [Fact]
    public void GatewayMonitor_OnlyAnAddress_HasAviDefaultsAndIsValid()
    {
        var monitor = new GatewayMonitor { GatewayIp = "192.0.2.1" };

        Assert.Equal((1000, 10, 15), (monitor.GatewayMonitorInterval, monitor.GatewayMonitorFailThreshold, monitor.GatewayMonitorSuccessThreshold));
        Assert.Empty(ConfigurationValidator.ValidateServiceEngineGroup(Legacy(monitor, new GatewayMonitor { GatewayIp = "2001:db8::1" })));
    }

    [Fact]
    public void GatewayMonitor_OutsideLegacyHa_IsNotAllowed()
    {
        var group = new ServiceEngineGroup { Name = "g", GatewayMon = [new GatewayMonitor { GatewayIp = "192.0.2.1" }] };

        var violation = Assert.Single(ConfigurationValidator.ValidateServiceEngineGroup(group));

        Assert.Equal(("serviceenginegroup.gateway_mon", ViolationCode.NotAllowed), (violation.FieldPath, violation.Code));
    }

    [Fact]
    public void GatewayMonitor_BadValues_AreReportedEachWithItsPath()
    {
        var group = Legacy(
            new GatewayMonitor { GatewayIp = "gw.example", GatewayMonitorInterval = 99 },
            new GatewayMonitor { GatewayIp = "192.0.2.1", GatewayMonitorFailThreshold = 2, GatewayMonitorSuccessThreshold = 51 },
            new GatewayMonitor { GatewayIp = "192.0.2.1" });

        var paths = Paths(ConfigurationValidator.ValidateServiceEngineGroup(group));

        Assert.Equal(
            [
                "serviceenginegroup.gateway_mon[0].gateway_ip",
                "serviceenginegroup.gateway_mon[0].gateway_monitor_interval",
                "serviceenginegroup.gateway_mon[1].gateway_monitor_fail_threshold",
                "serviceenginegroup.gateway_mon[1].gateway_monitor_success_threshold",
                "serviceenginegroup.gateway_mon[2].gateway_ip",
            ],
            paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void HealthMonitor_OnlyAName_HasAviDefaultsAndIsValid()
    {
        var monitor = new HealthMonitor { Name = "tcp" };

        Assert.Equal((HealthMonitorType.Tcp, 10, 4, 2, 2), (monitor.Type, monitor.SendInterval, monitor.ReceiveTimeout, monitor.SuccessfulChecks, monitor.FailedChecks));
        Assert.Equal("HEALTH_MONITOR_TCP", monitor.Type.ToAviName());
        Assert.Equal("GET / HTTP/1.0", new HealthMonitorHttp().HttpRequest);
        Assert.Empty(ConfigurationValidator.ValidateVirtualService(Vs(monitor, new HealthMonitor { Name = "http", Type = HealthMonitorType.Http, HttpMonitor = new() })));
    }

    [Fact]
    public void HealthMonitor_BadValues_AreReportedEachWithItsPath()
    {
        var vs = Vs(
            new HealthMonitor { Name = "a", SendInterval = 0, SuccessfulChecks = 51, FailedChecks = 0, MonitorPort = 70000 },
            new HealthMonitor { Name = "a", SendInterval = 5, ReceiveTimeout = 5 },
            new HealthMonitor { Name = "t", HttpMonitor = new() },
            new HealthMonitor { Name = "h", Type = HealthMonitorType.Http, HttpMonitor = new() { HttpRequest = "GET /\r\nX: y HTTP/1.0", HttpResponseCode = [(HttpResponseCode)9] } },
            new HealthMonitor { Name = "e", Type = (HealthMonitorType)7 });

        var paths = Paths(ConfigurationValidator.ValidateVirtualService(vs));

        Assert.Equal(
            [
                "virtualservice.pool_health_monitors[0].failed_checks",
                "virtualservice.pool_health_monitors[0].monitor_port",
                "virtualservice.pool_health_monitors[0].receive_timeout",
                "virtualservice.pool_health_monitors[0].send_interval",
                "virtualservice.pool_health_monitors[0].successful_checks",
                "virtualservice.pool_health_monitors[1].name",
                "virtualservice.pool_health_monitors[1].receive_timeout",
                "virtualservice.pool_health_monitors[2].http_monitor",
                "virtualservice.pool_health_monitors[3].http_monitor.http_request",
                "virtualservice.pool_health_monitors[3].http_monitor.http_response_code[0]",
                "virtualservice.pool_health_monitors[4].type",
            ],
            paths.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(new HttpResponseCode[0], 204, true)]
    [InlineData(new HttpResponseCode[0], 301, false)]
    [InlineData(new[] { HttpResponseCode.Http3xx, HttpResponseCode.Http4xx }, 404, true)]
    [InlineData(new[] { HttpResponseCode.Http3xx }, 200, false)]
    [InlineData(new[] { HttpResponseCode.HttpAny }, 503, true)]
    public void HttpResponseCode_Classes_AcceptTheirStatuses(HttpResponseCode[] codes, int status, bool accepted) =>
        Assert.Equal(accepted, new HealthMonitorHttp { HttpResponseCode = [.. codes] }.Accepts(status));
}
