namespace System.Runtime.CompilerServices;

/// <summary>Lets records and init accessors compile for netstandard2.0, which does not define this type.</summary>
internal static class IsExternalInit;
