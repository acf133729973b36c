using AviOrleans.Domain;

namespace AviOrleans.Domain.Tests;

public sealed class FailureDetectionTests
{
    [Fact]
    public void AS51_StandardDetectionWithAviDefaults_IsNineSeconds()
    {
        var budget = FailureDetectionBudget.Compute(new ServiceEngineGroup { Name = "g" }, SeAgentProperties.Avi);

        Assert.Equal(TimeSpan.FromSeconds(1), budget.Suspicion);
        Assert.Equal(TimeSpan.FromSeconds(8), budget.Confirmation);
        Assert.Equal(TimeSpan.FromSeconds(9), budget.Datapath);
    }

    [Fact]
    public void AS52_AggressiveDetection_IsComputedFromTheParameters()
    {
        var group = new ServiceEngineGroup { Name = "g", AggressiveFailureDetection = true };

        Assert.Equal(TimeSpan.FromSeconds(5), FailureDetectionBudget.Compute(group, SeAgentProperties.Avi).Datapath);

        var documented163 = FailureDetectionBudget.Compute(
            group with { DpAggressiveHbTimeoutCount = 5 },
            SeAgentProperties.Avi with { ControllerEchoRpcAggressiveTimeout = 500 });
        Assert.Equal(TimeSpan.FromSeconds(1.5), documented163.Datapath);
    }

    [Fact]
    public void AS54_ManagementPathOnly_IsSixtySecondsWithAviDefaults()
    {
        var budget = FailureDetectionBudget.Compute(new ServiceEngineGroup { Name = "g" }, SeAgentProperties.Avi);

        Assert.Equal(TimeSpan.FromSeconds(60), budget.ManagementPath);
    }

    [Fact]
    public void FailureDetection_AviOrleansDefaults_AreFarBelowAvis()
    {
        var group = new ServiceEngineGroup { Name = "g" };

        var standard = FailureDetectionBudget.Compute(group, new SeAgentProperties());
        var aggressive = FailureDetectionBudget.Compute(group with { AggressiveFailureDetection = true, DpAggressiveHbTimeoutCount = 5 }, new SeAgentProperties());

        Assert.Equal(TimeSpan.FromMilliseconds(1400), standard.Datapath);
        Assert.Equal(TimeSpan.FromMilliseconds(700), aggressive.Datapath);
    }

    [Fact]
    public void SeAgentProperties_OutOfRange_AreRejected()
    {
        var violations = ConfigurationValidator.ValidateSeAgentProperties(new SeAgentProperties { ControllerEchoMissLimit = 0, ControllerHeartbeatMissLimit = 21 });

        Assert.Equal(["seagentproperties.controller_echo_miss_limit", "seagentproperties.controller_heartbeat_miss_limit"], violations.Select(v => v.FieldPath));
        Assert.Empty(ConfigurationValidator.ValidateSeAgentProperties(SeAgentProperties.Avi));
    }
}
