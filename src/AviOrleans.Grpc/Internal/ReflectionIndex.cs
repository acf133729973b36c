using Google.Protobuf.Reflection;

namespace AviOrleans.Grpc.Internal;

/// <summary>The files and symbols of the mapped services, as reflection answers about them.</summary>
internal sealed class ReflectionIndex
{
    private readonly Dictionary<string, FileDescriptor> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileDescriptor> _symbols = new(StringComparer.Ordinal);
    private readonly List<FieldDescriptor> _extensions = [];
    private readonly HashSet<string> _messageTypes = new(StringComparer.Ordinal);

    public ReflectionIndex(IEnumerable<GrpcServiceDefinition> services)
    {
        var names = new List<string>();
        foreach (var service in services)
        {
            names.Add(service.Name);
            if (service.Descriptor is not null)
            {
                AddFile(service.Descriptor.File);
            }
        }

        ServiceNames = names;
    }

    public IReadOnlyList<string> ServiceNames { get; }

    public FileDescriptor? FindFile(string name) => _files.GetValueOrDefault(name);

    /// <summary>The file that defines a service, method, message, enum or extension, by full name.</summary>
    public FileDescriptor? FindSymbol(string symbol) => _symbols.GetValueOrDefault(symbol.TrimStart('.'));

    public FieldDescriptor? FindExtension(string containingType, int number) =>
        _extensions.FirstOrDefault(e => e.ExtendeeType?.FullName == containingType && e.FieldNumber == number);

    public IEnumerable<int> ExtensionNumbersOf(string messageType) =>
        _extensions.Where(e => e.ExtendeeType?.FullName == messageType).Select(e => e.FieldNumber);

    public bool IsMessageType(string name) => _messageTypes.Contains(name);

    /// <summary><paramref name="file"/> then every file it depends on, transitively, each once.</summary>
    public static List<FileDescriptor> WithDependencies(FileDescriptor file)
    {
        var result = new List<FileDescriptor>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<FileDescriptor>();
        pending.Push(file);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (!seen.Add(next.Name))
            {
                continue;
            }

            result.Add(next);
            foreach (var dependency in next.Dependencies)
            {
                pending.Push(dependency);
            }
        }

        return result;
    }

    private void AddFile(FileDescriptor file)
    {
        if (!_files.TryAdd(file.Name, file))
        {
            return;
        }

        foreach (var dependency in file.Dependencies)
        {
            AddFile(dependency);
        }

        foreach (var service in file.Services)
        {
            _symbols.TryAdd(service.FullName, file);
            foreach (var method in service.Methods)
            {
                _symbols.TryAdd(method.FullName, file);
            }
        }

        foreach (var message in file.MessageTypes)
        {
            AddMessage(file, message);
        }

        AddEnumsAndExtensions(file, file.EnumTypes, file.Extensions);
    }

    private void AddMessage(FileDescriptor file, MessageDescriptor message)
    {
        _symbols.TryAdd(message.FullName, file);
        _messageTypes.Add(message.FullName);
        foreach (var nested in message.NestedTypes)
        {
            AddMessage(file, nested);
        }

        AddEnumsAndExtensions(file, message.EnumTypes, message.Extensions);
    }

    /// <summary>Enums and extensions are declared the same way at file level and inside a message.</summary>
    private void AddEnumsAndExtensions(FileDescriptor file, IEnumerable<EnumDescriptor> enumTypes, ExtensionCollection extensions)
    {
        foreach (var enumType in enumTypes)
        {
            _symbols.TryAdd(enumType.FullName, file);
        }

        foreach (var extension in extensions.UnorderedExtensions)
        {
            _symbols.TryAdd(extension.FullName, file);
            _extensions.Add(extension);
        }
    }
}
