using System.ComponentModel;
using System.Text.Json;
using AviOrleans.Runtime.Serialization;

namespace AviOrleans.Runtime.CodeGeneration;

/// <summary>Reads a request's arguments (a JSON array) into a new request object. For generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate GrainRequest GrainArgumentReader(ref Utf8JsonReader reader, GrainSerializer serializer);
