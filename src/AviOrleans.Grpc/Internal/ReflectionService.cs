using AviOrleans.Grpc.Reflection.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace AviOrleans.Grpc.Internal;

/// <summary>
/// <c>grpc.reflection.v1.ServerReflection</c> and its v1alpha twin (grpc/grpc doc/server-reflection.md):
/// one response per request, in order, on a duplex stream. The two versions are the same on the
/// wire, so v1alpha messages are re-read as v1 ones.
/// </summary>
internal sealed class ReflectionService(GrpcServiceRegistry registry)
{
    private readonly Lock _sync = new();
    private ReflectionIndex? _index;
    private int _indexedCount = -1;

    public GrpcServiceDefinition CreateV1Definition() =>
        GrpcServiceDefinition.Create(ReflectionReflection.Descriptor.Services[0])
            .AddDuplexStreaming<ServerReflectionRequest, ServerReflectionResponse>("ServerReflectionInfo", ServeV1Async, GrpcRole.Anonymous);

    public GrpcServiceDefinition CreateV1AlphaDefinition() =>
        GrpcServiceDefinition.Create(Reflection.V1Alpha.ReflectionReflection.Descriptor.Services[0])
            .AddDuplexStreaming<Reflection.V1Alpha.ServerReflectionRequest, Reflection.V1Alpha.ServerReflectionResponse>("ServerReflectionInfo", ServeV1AlphaAsync, GrpcRole.Anonymous);

    private async Task ServeV1Async(IAsyncStreamReader<ServerReflectionRequest> requests, IServerStreamWriter<ServerReflectionResponse> responses, ServerCallContext context)
    {
        while (await requests.MoveNext(context.CancellationToken))
        {
            await responses.WriteAsync(Answer(requests.Current), context.CancellationToken);
        }
    }

    private async Task ServeV1AlphaAsync(IAsyncStreamReader<Reflection.V1Alpha.ServerReflectionRequest> requests, IServerStreamWriter<Reflection.V1Alpha.ServerReflectionResponse> responses, ServerCallContext context)
    {
        while (await requests.MoveNext(context.CancellationToken))
        {
            var request = ServerReflectionRequest.Parser.ParseFrom(requests.Current.ToByteString());
            var answer = Answer(request);
            await responses.WriteAsync(Reflection.V1Alpha.ServerReflectionResponse.Parser.ParseFrom(answer.ToByteString()), context.CancellationToken);
        }
    }

    private ServerReflectionResponse Answer(ServerReflectionRequest request)
    {
        var index = GetIndex();
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                var list = new ListServiceResponse();
                list.Service.AddRange(index.ServiceNames.Select(n => new ServiceResponse { Name = n }));
                response.ListServicesResponse = list;
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFiles(response, index.FindFile(request.FileByFilename), "File not found.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFiles(response, index.FindSymbol(request.FileContainingSymbol), "Symbol not found.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                var extension = index.FindExtension(request.FileContainingExtension.ContainingType, request.FileContainingExtension.ExtensionNumber);
                SetFiles(response, extension?.File, "Extension not found.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                if (index.IsMessageType(request.AllExtensionNumbersOfType))
                {
                    var numbers = new ExtensionNumberResponse { BaseTypeName = request.AllExtensionNumbersOfType };
                    numbers.ExtensionNumber.AddRange(index.ExtensionNumbersOf(request.AllExtensionNumbersOfType));
                    response.AllExtensionNumbersResponse = numbers;
                }
                else
                {
                    response.ErrorResponse = new ErrorResponse { ErrorCode = (int)StatusCode.NotFound, ErrorMessage = "Type not found." };
                }

                break;
            default:
                response.ErrorResponse = new ErrorResponse { ErrorCode = (int)StatusCode.Unimplemented, ErrorMessage = "Request kind not supported." };
                break;
        }

        return response;
    }

    private static void SetFiles(ServerReflectionResponse response, FileDescriptor? file, string notFound)
    {
        if (file is null)
        {
            response.ErrorResponse = new ErrorResponse { ErrorCode = (int)StatusCode.NotFound, ErrorMessage = notFound };
            return;
        }

        // The requested file first, then its transitive dependencies, so a client with no
        // .proto files can build every type the file refers to.
        var files = new FileDescriptorResponse();
        files.FileDescriptorProto.AddRange(ReflectionIndex.WithDependencies(file).Select(f => f.SerializedData));
        response.FileDescriptorResponse = files;
    }

    private ReflectionIndex GetIndex()
    {
        var services = registry.Services;
        lock (_sync)
        {
            if (_index is null || _indexedCount != services.Count)
            {
                _index = new ReflectionIndex(services);
                _indexedCount = services.Count;
            }

            return _index;
        }
    }
}
