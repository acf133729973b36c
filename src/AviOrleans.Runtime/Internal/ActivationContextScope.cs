namespace AviOrleans.Runtime.Internal;

/// <summary>
/// Hands the activation context to <see cref="Grain"/>'s constructor while the registered factory runs: the
/// factory is user code, so the context travels beside it rather than through its signature.
/// </summary>
internal static class ActivationContextScope
{
    [ThreadStatic]
    private static IGrainActivationContext? t_current;

    public static IGrainActivationContext? Current => t_current;

    public static TGrain Create<TGrain>(IGrainActivationContext context, Func<IGrainActivationContext, TGrain> factory)
    {
        var previous = t_current;
        t_current = context;
        try
        {
            return factory(context);
        }
        finally
        {
            t_current = previous;
        }
    }
}
