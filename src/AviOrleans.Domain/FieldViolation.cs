namespace AviOrleans.Domain;

/// <summary>
/// One problem with a configuration: the Avi field path (<c>virtualservice[1].vip[0].ip_address</c>) and a readable
/// description. Maps one-to-one to a gRPC <c>BadRequest.FieldViolation</c> (field, description).
/// </summary>
/// <param name="FieldPath">The path of the field, with Avi's snake_case names and list indexes.</param>
/// <param name="Description">What is wrong, and the allowed values where it helps.</param>
/// <param name="Code">The kind of problem.</param>
public sealed record FieldViolation(string FieldPath, string Description, ViolationCode Code)
{
    /// <inheritdoc/>
    public override string ToString() => $"{FieldPath}: {Description}";
}
