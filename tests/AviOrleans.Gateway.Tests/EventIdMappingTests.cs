using AviOrleans.Domain;
using AviOrleans.Gateway.Internal;

namespace AviOrleans.Gateway.Tests;

public sealed class EventIdMappingTests
{
    [Fact]
    public void EventId_EveryDomainEventType_HasAnApiValue()
    {
        // The gateway maps events by name and throws on a name the proto lacks: a new domain event needs its EventId.
        foreach (var name in AviNames.NamesOf<HaEventType>())
        {
            Assert.NotEqual(Api.V1.EventId.Unspecified, EnumMap.ToApi<Api.V1.EventId>(name));
        }
    }

    [Fact]
    public void SeNeedReason_EveryDomainReason_HasAnApiValue()
    {
        foreach (var name in AviNames.NamesOf<SeNeedReason>())
        {
            Assert.NotEqual(Api.V1.SeNeedReason.Unspecified, EnumMap.ToApi<Api.V1.SeNeedReason>(name));
        }
    }
}
