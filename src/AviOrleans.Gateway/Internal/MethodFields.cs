using AviOrleans.Api;
using Google.Protobuf.Reflection;

namespace AviOrleans.Gateway.Internal;

/// <summary>
/// For each avi.v1 method, the request field that holds the object it creates or changes
/// (<c>service_engine_group</c> in CreateServiceEngineGroupRequest): the control plane reports
/// violations relative to that object, and the API reports them as paths from the request.
/// </summary>
internal static class MethodFields
{
    private static readonly Dictionary<string, string> Prefixes = Build();

    /// <summary>The prefix for <paramref name="methodPath"/> (<c>/avi.v1.Service/Method</c>); empty when none.</summary>
    public static string PrefixOf(string methodPath) =>
        Prefixes.TryGetValue(methodPath.TrimStart('/'), out var prefix) ? prefix : string.Empty;

    private static Dictionary<string, string> Build()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in AviApi.Services)
        {
            foreach (var method in service.Methods)
            {
                var field = method.InputType.Fields.InFieldNumberOrder()
                    .FirstOrDefault(f => f.FieldType == FieldType.Message && f.MessageType.File.Package == "avi.v1");
                if (field is not null)
                {
                    result[service.FullName + "/" + method.Name] = field.Name;
                }
            }
        }

        return result;
    }
}
