using System.Diagnostics.CodeAnalysis;

namespace EventBus;

/// <summary>
/// Marks a payload type as a query answered with a <typeparamref name="TResponse"/>: send it with
/// <see cref="QueryClient.SendAsync{TResponse}(IQuery{TResponse}, CancellationToken)"/>, answer it
/// with an <see cref="IQueryHandler{TQuery, TResponse}"/>. Its event type comes from the type, as for any payload
/// (<see cref="EventTypeDescriptor.For(Type)"/>).
/// </summary>
/// <typeparam name="TResponse">The answer's type.</typeparam>
[SuppressMessage("Design", "CA1040:Avoid empty interfaces", Justification = "A marker that carries the response type to SendAsync's type inference, as MediatR's IRequest<T> does.")]
[SuppressMessage("Major Code Smell", "S2326:Unused type parameters should be removed", Justification = "The type parameter is the point: it types the response.")]
public interface IQuery<TResponse>;
