using AviOrleans.Api.V1;
using Google.Protobuf.Reflection;

namespace AviOrleans.Api;

/// <summary>The avi.v1 API as descriptors: its files and services, for method binding and reflection.</summary>
public static class AviApi
{
    /// <summary>The generated file descriptors of avi.v1 (their dependencies resolve through them).</summary>
    public static IReadOnlyList<FileDescriptor> Files { get; } =
    [
        CommonReflection.Descriptor,
        ServiceEngineGroupReflection.Descriptor,
        ServiceEngineReflection.Descriptor,
        VirtualServiceReflection.Descriptor,
        HaReflection.Descriptor,
    ];

    /// <summary>The avi.v1 services, in a stable order.</summary>
    public static IReadOnlyList<ServiceDescriptor> Services { get; } =
        [.. Files.SelectMany(f => f.Services)];

    /// <summary>The full name of every avi.v1 service.</summary>
    public static IReadOnlyList<string> ServiceNames { get; } =
        [.. Services.Select(s => s.FullName)];
}
