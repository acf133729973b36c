using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AviOrleans.Runtime.CodeGen;

/// <summary>
/// Emits, for every interface that derives from <c>AviOrleans.Runtime.IGrainWithStringKey</c>, a proxy (the
/// grain reference callers hold), one request class per method (arguments, invocation, JSON reading and
/// writing) and a module initializer that registers them: calls need no reflection. The transform turns each
/// interface into its finished source text, so the incremental pipeline caches on plain strings.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GrainProxyGenerator : IIncrementalGenerator
{
    private const string MarkerInterface = "AviOrleans.Runtime.IGrainWithStringKey";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var sources = context.SyntaxProvider.CreateSyntaxProvider(
                static (node, _) => node is InterfaceDeclarationSyntax { BaseList: not null },
                static (ctx, ct) => Transform(ctx, ct))
            .Where(static s => s is not null)
            .Collect();

        context.RegisterSourceOutput(sources, static (spc, items) =>
        {
            // A partial interface is seen once per declaration: emit it once.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                if (item is { } generated && seen.Add(generated.HintName))
                {
                    spc.AddSource(generated.HintName, generated.Source);
                }
            }
        });
    }

    private static GeneratedSource? Transform(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.SemanticModel.GetDeclaredSymbol(context.Node, cancellationToken) is not INamedTypeSymbol symbol
            || symbol.TypeKind != TypeKind.Interface
            || !symbol.AllInterfaces.Any(i => i.ToDisplayString() == MarkerInterface))
        {
            return null;
        }

        var hintName = Sanitize(symbol.ToDisplayString()) + ".AviOrleans.g.cs";
        return new GeneratedSource(hintName, Emitter.Emit(symbol));
    }

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsLetterOrDigit(c) ? c : '_');
        }

        return builder.ToString();
    }
}
