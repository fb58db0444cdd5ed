namespace EventBus;

/// <summary>
/// Publishes the response to a query: the handler's result as a success, or its exception as a failure carrying
/// <see cref="ErrorDetails"/> (the exception is then rethrown, so the bus counts and logs the handler failure). Shared by
/// <see cref="QueryClient.Respond"/> and the typed query handlers.
/// </summary>
internal static class QueryAnswer
{
    public static async ValueTask AnswerAsync(MessagePublisher messages, EventEnvelope query, Func<EventEnvelope, CancellationToken, ValueTask<object?>> handler, CancellationToken cancellationToken)
    {
        object? answer;
        try
        {
            answer = await handler(query, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ErrorDetails error = new(exception.GetType().Name, exception.Message) { SourceEventId = query.Id };
            await messages.PublishResponseAsync(query, error, isSuccess: false, cancellationToken).ConfigureAwait(false);
            throw;
        }

        await messages.PublishResponseAsync(query, answer, isSuccess: true, cancellationToken).ConfigureAwait(false);
    }
}
