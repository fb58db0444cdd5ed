using System.Runtime.CompilerServices;

namespace EventBus.Benchmarks;

/// <summary>A handler body the JIT can not remove.</summary>
internal static class NoOp
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Touch(object value) => GC.KeepAlive(value);
}
