namespace EventBus;

/// <summary>Matches events that pass both of two filters; the left one is evaluated first.</summary>
internal sealed class AndFilter : EventFilter
{
    private readonly EventFilter _left;
    private readonly EventFilter _right;

    public AndFilter(EventFilter left, EventFilter right)
    {
        _left = left;
        _right = right;
    }

    public override string Description => $"({_left.Description}) and ({_right.Description})";

    internal override IndexHint GetIndexHint() => IndexHints.Tightest(_left.GetIndexHint(), _right.GetIndexHint());

    internal override void CollectAsyncPredicates(List<AsyncPredicateFilter> predicates)
    {
        _left.CollectAsyncPredicates(predicates);
        _right.CollectAsyncPredicates(predicates);
    }

    public override bool Matches(EventEnvelope envelope) => _left.Matches(envelope) && _right.Matches(envelope);
}
