namespace EventBus;

/// <summary>The order of a query's results: by the position the store gave each event on append.</summary>
public enum EventOrder
{
    /// <summary>Oldest first.</summary>
    Ascending = 0,

    /// <summary>Newest first.</summary>
    Descending = 1,
}
