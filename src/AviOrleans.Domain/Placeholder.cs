namespace AviOrleans.Domain;

/// <summary>Placeholder.</summary>
public static class Placeholder;
