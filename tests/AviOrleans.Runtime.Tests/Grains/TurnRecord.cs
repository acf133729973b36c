namespace AviOrleans.Runtime.Tests.Grains;

public sealed record TurnRecord(string ActivationId, int Sequence, string SiloName);
