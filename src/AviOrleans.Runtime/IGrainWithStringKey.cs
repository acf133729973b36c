namespace AviOrleans.Runtime;

/// <summary>
/// A grain interface whose grains are addressed by a string key. The source generator emits a proxy and an
/// invoker for every interface that derives from this one; every method must return <see cref="Task"/>,
/// <see cref="Task{TResult}"/>, <see cref="ValueTask"/> or <see cref="ValueTask{TResult}"/>.
/// </summary>
#pragma warning disable CA1040 // A marker interface is the Orleans idiom the source generator looks for.
public interface IGrainWithStringKey : IGrain;
#pragma warning restore CA1040
