namespace AviOrleans.Bench.Grpc;

/// <summary>The handler both servers run: the gRPC one and the plain HTTP/2 floor.</summary>
internal static class BenchHandlers
{
    public static Item Get(GetRequest request) => new()
    {
        Name = request.Name,
        Uuid = "virtualservice-5f2b8a51-3c7e-4d0a-9a1e-0c6d2f7b9e10",
        Vips = { "192.0.2.10", "198.51.100.20" },
        SeGroup = "Default-Group",
        Epoch = 42,
        State = "OPER_UP",
    };

    public static Item Event(int i) => new()
    {
        Name = "vs-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Uuid = "virtualservice-5f2b8a51-3c7e-4d0a-9a1e-0c6d2f7b9e10",
        SeGroup = "Default-Group",
        Epoch = i,
        State = "OPER_UP",
    };
}
