namespace AviOrleans.Persistence.Tests.Contract;

/// <summary>The grain-storage contract on Orleans' own in-memory provider: the baseline the SQL providers must match.</summary>
public sealed class MemoryGrainStorageTests : GrainStorageContractTests
{
    protected override void AddStorage(ISiloBuilder silo) => silo.AddMemoryGrainStorage("ha");
}
